package tally.store;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** How the service builds its S3 clients, for the dataset store and for a token list kept in S3 alike. */
public final class S3Clients {
    private S3Clients() {
    }

    /**
     * A client with credentials from the SDK's default chain (on EC2, the instance profile) and the standard
     * retries; with an endpoint (an emulator), path-style addressing and the region from the default chain
     * or us-east-1.
     */
    public static S3Client create(URI endpoint) {
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy())
                // A part is at most tens of MiB: a minute per attempt is generous, and bounds a hung connection.
                .apiCallAttemptTimeout(Duration.ofSeconds(60))
                .build();
        S3ClientBuilder builder = S3Client.builder().overrideConfiguration(overrides);
        if (endpoint != null) {
            Region region;
            try {
                region = DefaultAwsRegionProviderChain.builder().build().getRegion();
            } catch (SdkException e) {
                region = Region.US_EAST_1;
            }
            builder.region(region).endpointOverride(endpoint).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        }
        return builder.build();
    }
}
