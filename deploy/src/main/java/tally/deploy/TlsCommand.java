package tally.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/**
 * {@code tally-deploy tls put|remove --env E}: the certificate and key an environment's instances serve
 * HTTPS with ({@link EnvTls}). They are read by the service at start, so a change counts from the next
 * release; the running instances keep what they started with.
 */
final class TlsCommand {
    static final Option CERT = Option.value("--cert", "FILE",
            "PEM certificate chain: the server's certificate first, then any intermediates (a CA's fullchain.pem)");
    static final Option KEY = Option.value("--key", "FILE",
            "PEM private key of --cert, unencrypted (PKCS#8, PKCS#1 RSA or SEC1 EC)");

    static final DeployCommand COMMAND = DeployCommand.group("tls",
            "The certificate an environment serves HTTPS with; counts from its next release.", List.of(
                    DeployCommand.of("put", "--env ENV --cert FILE --key FILE",
                            "Check the certificate and key here, then store them (encrypted) for the environment.",
                            List.of(DeployCli.ENV, CERT, KEY), TlsCommand::put),
                    DeployCommand.of("remove", "--env ENV",
                            "Delete the environment's certificate and key: its next release serves plain HTTP.",
                            List.of(DeployCli.ENV), TlsCommand::remove)));

    /** What {@code put} stored, as {@code --json} prints it. */
    record Stored(String env, String cert, String key, String subject, String notAfter) {
    }

    /** What {@code remove} did, as {@code --json} prints it. */
    record Removed(String env, boolean hadCertificate) {
    }

    private TlsCommand() {
    }

    private static int put(DeployCli cli, CommandArgs args) throws UsageException {
        String env = args.required(DeployCli.ENV);
        Path certFile = Path.of(args.required(CERT));
        Path keyFile = Path.of(args.required(KEY));
        byte[] cert = read(certFile);
        byte[] key = read(keyFile);
        X509Certificate parsed = EnvTls.certificate(cert, certFile.toString());
        EnvTls.checkKey(key, keyFile.toString());
        try (AwsClients aws = cli.clients()) {
            EnvTls tls = cli.tls(aws, env);
            tls.put(cert, key);
            record(cli, aws, env, "tls-put", parsed.getSubjectX500Principal().getName() + " until "
                    + parsed.getNotAfter().toInstant());
            cli.emit(new Stored(env, tls.certLocation(), tls.keyLocation(), parsed.getSubjectX500Principal().getName(),
                    parsed.getNotAfter().toInstant().toString()), "stored the certificate of "
                    + parsed.getSubjectX500Principal().getName() + " (valid until " + parsed.getNotAfter().toInstant()
                    + ") and its key for " + env + " in " + tls.certLocation() + " and " + tls.keyLocation()
                    + ". The instances read them at start: the next release serves HTTPS (running instances keep"
                    + " what they started with). tally-deploy release --env " + env + " --version V");
        }
        return 0;
    }

    private static int remove(DeployCli cli, CommandArgs args) throws UsageException {
        String env = args.required(DeployCli.ENV);
        try (AwsClients aws = cli.clients()) {
            boolean had = cli.tls(aws, env).remove();
            record(cli, aws, env, "tls-remove", had ? "certificate and key deleted" : "there was no certificate");
            cli.emit(new Removed(env, had), had
                    ? "deleted the certificate and key of " + env + ". The next release serves plain HTTP (running"
                            + " instances keep serving HTTPS until then)."
                    : env + " had no certificate: it serves plain HTTP");
        }
        return 0;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DeployException(file + " does not exist", 2, e);
        } catch (IOException e) {
            throw new DeployException("cannot read " + file + ": " + e.getMessage(), 2, e);
        }
    }

    /** Certificate changes go into the environment's history, beside its releases and tokens. */
    private static void record(DeployCli cli, AwsClients aws, String env, String action, String what) {
        AwsErrors.during("append to the history of " + env, () -> {
            new History(aws.s3(), cli.bucket(), cli.mapper).append(env, new HistoryEntry(Instant.now().toString(),
                    action, "succeeded", null, null, null, null, what, null, 0, DeployCli.actor()));
            return null;
        });
    }
}
