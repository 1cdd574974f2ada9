package tally.deploy;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP client for one environment's instances, as the health gate, status, smoke and
 * {@code token create --wait} use it: plain HTTP, or, when the environment has a certificate
 * ({@link EnvTls}), HTTPS trusting exactly that certificate.
 *
 * <p>The instances are reached by IP address while a real certificate names a DNS name, so the usual
 * check of the name in the certificate would fail. The certificate is pinned instead: the server must
 * present the very certificate stored for the environment, byte for byte, and nothing a CA signed for
 * anyone else. That is a stronger check than name plus CA, so leaving the name out loses nothing.
 *
 * <p>The JDK client's own switch for this, the system property
 * {@code jdk.internal.httpclient.disableHostnameVerification}, is not used: it is read once, into a static
 * final field of {@code jdk.internal.net.http.common.Utils}, when the first client is built, and then holds
 * for every client of the JVM (and the tests run every command in one JVM). The name check is done by the
 * trust manager, not by the client: SunJSSE passes an {@link X509ExtendedTrustManager} the engine and
 * leaves endpoint identification to it (only a plain {@code X509TrustManager} is wrapped in one that checks
 * the name), so this trust manager, which compares certificates and nothing else, skips it for these
 * clients alone.
 */
final class EnvHttp {
    private final X509Certificate pinned;

    private EnvHttp(X509Certificate pinned) {
        this.pinned = pinned;
    }

    /** The client for an environment with {@code certificate} (empty: plain HTTP). */
    static EnvHttp of(Optional<X509Certificate> certificate) {
        return new EnvHttp(certificate.orElse(null));
    }

    /** The client for the environment {@code tls} belongs to: reads its certificate once, now. */
    static EnvHttp of(EnvTls tls) {
        return of(tls.read());
    }

    boolean tls() {
        return pinned != null;
    }

    /** {@code https} or {@code http}: what the instances' URLs start with. */
    String scheme() {
        return tls() ? "https" : "http";
    }

    /**
     * A client that speaks HTTP/1.1 (over plain HTTP the default HTTP/2 client would try an h2c upgrade
     * first, which the service does not need) with this connect timeout.
     */
    HttpClient client(Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout);
        if (pinned != null) {
            builder.sslContext(pinnedContext());
        }
        return builder.build();
    }

    private SSLContext pinnedContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Pinned(pinned)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    /** Trusts a server that presents {@code pinned} as its certificate, and no other. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final X509Certificate pinned;

        Pinned(X509Certificate pinned) {
            this.pinned = pinned;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0 || !pinned.equals(chain[0])) {
                throw new CertificateException("the instance presented "
                        + (chain == null || chain.length == 0 ? "no certificate"
                                : "the certificate of " + chain[0].getSubjectX500Principal().getName())
                        + ", not the environment's (" + pinned.getSubjectX500Principal().getName() + ", serial "
                        + pinned.getSerialNumber().toString(16) + "): was it released before the last tls put?");
            }
            pinned.checkValidity();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client of the instances trusts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pinned};
        }
    }
}
