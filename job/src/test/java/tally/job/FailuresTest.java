package tally.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A failure on another thread reaches the waiting thread as itself, or as an IOException. */
@Tag("unit")
class FailuresTest {
    @Test
    void io_runtime_and_error_failures_are_thrown_as_they_are() {
        IOException io = new IOException("disk full");
        UncheckedIOException unchecked = new UncheckedIOException(io);
        OutOfMemoryError error = new OutOfMemoryError("heap");

        assertThatThrownBy(() -> Failures.rethrow(io)).isSameAs(io);
        assertThatThrownBy(() -> Failures.rethrow(unchecked)).isSameAs(unchecked);
        assertThatThrownBy(() -> Failures.rethrow(error)).isSameAs(error);
    }

    @Test
    void awaiting_a_task_gives_its_result_or_throws_what_it_threw() throws Exception {
        IOException io = new IOException("disk full");
        java.util.concurrent.FutureTask<String> done = new java.util.concurrent.FutureTask<>(() -> "rows");
        java.util.concurrent.FutureTask<String> failed = new java.util.concurrent.FutureTask<>(() -> {
            throw io;
        });
        done.run();
        failed.run();

        org.assertj.core.api.Assertions.assertThat(Failures.await(done, "writing")).isEqualTo("rows");
        assertThatThrownBy(() -> Failures.await(failed, "writing")).isSameAs(io);
    }

    @Test
    void any_other_checked_failure_is_wrapped_in_an_io_exception_and_no_failure_throws_nothing() {
        Exception other = new Exception("odd");

        assertThatThrownBy(() -> Failures.rethrow(other)).isInstanceOf(IOException.class).hasCause(other);
        assertThatCode(() -> Failures.rethrow(null)).doesNotThrowAnyException();
    }
}
