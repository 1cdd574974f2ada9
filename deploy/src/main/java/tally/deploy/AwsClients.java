package tally.deploy;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.EmrClientBuilder;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The SDK clients, built once per command from the global options. Credentials come from the SDK's
 * default chain (environment, profile, instance role); an endpoint override aims every call at an
 * emulator such as moto.
 */
public final class AwsClients implements AutoCloseable {
    private final Ec2Client ec2;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final IamClient iam;
    private final EmrClient emr;

    public AwsClients(String region, URI endpoint, int maxAttempts) {
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build())
                .apiCallAttemptTimeout(Duration.ofSeconds(60))
                .build();
        Ec2ClientBuilder ec2Builder = Ec2Client.builder().region(Region.of(region)).overrideConfiguration(overrides);
        S3ClientBuilder s3Builder = S3Client.builder().region(Region.of(region)).overrideConfiguration(overrides);
        EmrClientBuilder emrBuilder = EmrClient.builder().region(Region.of(region)).overrideConfiguration(overrides);
        S3Presigner.Builder presignerBuilder = S3Presigner.builder().region(Region.of(region));
        if (endpoint != null) {
            // An emulator on loopback has no virtual-host buckets: path-style addressing is required.
            S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
            ec2Builder.endpointOverride(endpoint);
            emrBuilder.endpointOverride(endpoint);
            s3Builder.endpointOverride(endpoint).serviceConfiguration(pathStyle)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
            presignerBuilder.endpointOverride(endpoint).serviceConfiguration(pathStyle);
        }
        this.ec2 = ec2Builder.build();
        this.s3 = s3Builder.build();
        this.emr = emrBuilder.build();
        this.presigner = presignerBuilder.build();
        // IAM is global: one endpoint, signed for the global region, whatever region the rest uses.
        IamClientBuilder iamBuilder = IamClient.builder().region(Region.AWS_GLOBAL).overrideConfiguration(overrides);
        if (endpoint != null) {
            iamBuilder.endpointOverride(endpoint);
        }
        this.iam = iamBuilder.build();
    }

    public Ec2Client ec2() {
        return ec2;
    }

    public S3Client s3() {
        return s3;
    }

    public S3Presigner presigner() {
        return presigner;
    }

    public IamClient iam() {
        return iam;
    }

    public EmrClient emr() {
        return emr;
    }

    @Override
    public void close() {
        ec2.close();
        s3.close();
        presigner.close();
        iam.close();
        emr.close();
    }
}
