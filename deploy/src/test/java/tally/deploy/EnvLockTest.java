package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

@Tag("deploy")
@ExtendWith(MotoServer.class)
class EnvLockTest {
    private static final String BUCKET = "lock-tests";
    private static AwsClients aws;
    private static Cli cli;

    @TempDir
    static Path dir;

    @BeforeAll
    static void bucket(MotoEmulator moto) {
        cli = new Cli(moto, BUCKET, dir.resolve("rehearsal"));
        aws = cli.clients();
        aws.s3().createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void close() {
        if (aws != null) {
            aws.close();
        }
    }

    private static EnvLock lock(Clock clock) {
        return new EnvLock(aws.s3(), BUCKET, new ObjectMapper(), clock);
    }

    @Test
    void of_two_concurrent_acquires_exactly_one_wins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Object>> attempts = new ArrayList<>();
        for (String owner : List.of("alice", "bob")) {
            attempts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return lock(Clock.systemUTC()).acquire("race", owner, "v1", "release v1", Duration.ofMinutes(5));
                } catch (LockHeldException e) {
                    return e;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        start.countDown();
        List<Object> results = attempts.stream().map(CompletableFuture::join).toList();
        pool.shutdown();

        assertThat(results).filteredOn(r -> r instanceof EnvLock.Held).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof LockHeldException).hasSize(1);
    }

    @Test
    void a_release_fails_with_the_holder_named_while_another_deploy_holds_the_lock() {
        lock(Clock.systemUTC()).acquire("held", "alice@ci pid 1", "v9", "release v9", Duration.ofMinutes(10));

        Cli.Run run = cli.run(Cli.fast("release", "--env", "held", "--version", "v1"));

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("environment held is locked by alice@ci pid 1", "release v9", "--force-unlock");
    }

    @Test
    void an_expired_lock_is_taken_over() {
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        lock(anHourAgo).acquire("expired", "killed-run", "v1", "release v1", Duration.ofMinutes(30));

        EnvLock.Held held = lock(Clock.systemUTC()).acquire("expired", "bob", "v2", "release v2", Duration.ofMinutes(30));

        assertThat(held.holder().owner()).isEqualTo("bob");
        assertThatThrownBy(() -> lock(Clock.systemUTC()).acquire("expired", "carol", "v3", "release v3", Duration.ofMinutes(30)))
                .isInstanceOf(LockHeldException.class).hasMessageContaining("locked by bob");
    }

    @Test
    void force_unlock_removes_a_live_lock_and_the_command_then_runs() {
        lock(Clock.systemUTC()).acquire("stuck", "dead-run", "v1", "release v1", Duration.ofHours(1));

        Cli.Run run = cli.run(Cli.fast("teardown", "--env", "stuck", "--force-unlock"));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThatThrownBy(() -> aws.s3().headObject(b -> b.bucket(BUCKET).key(EnvLock.key("stuck"))))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void a_failed_release_releases_its_lock() {
        Cli.Run run = cli.run(Cli.fast("release", "--env", "unpublished", "--version", "v404"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("v404 is not published");
        assertThatThrownBy(() -> aws.s3().headObject(b -> b.bucket(BUCKET).key(EnvLock.key("unpublished"))))
                .isInstanceOf(NoSuchKeyException.class);
    }
}
