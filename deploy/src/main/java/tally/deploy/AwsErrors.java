package tally.deploy;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** The one place where SDK exceptions become messages a person can act on. */
public final class AwsErrors {
    private static final Set<String> UNAUTHORIZED = Set.of(
            "UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "AuthFailure",
            "InvalidClientTokenId", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
            "UnrecognizedClientException");
    private static final Set<String> CAPACITY = Set.of(
            "InsufficientInstanceCapacity", "InstanceLimitExceeded", "VcpuLimitExceeded",
            "InsufficientAddressCapacity", "AddressLimitExceeded", "InsufficientFreeAddressesInSubnet");
    private static final Set<String> THROTTLING = Set.of(
            "RequestLimitExceeded", "Throttling", "ThrottlingException", "SlowDown",
            "TooManyRequestsException", "RequestThrottled");

    private AwsErrors() {
    }

    /** Runs one AWS call; an SDK failure becomes a {@link DeployException} that names {@code action}. */
    public static <T> T during(String action, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw describe(action, e);
        }
    }

    /** Returns a {@link DeployException} describing {@code e}, raised while doing {@code action}. */
    public static DeployException describe(String action, SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            // S3 gives no code for an answer without a body (a HEAD, or an error page not in S3's format).
            String code = java.util.Objects.requireNonNullElse(service.awsErrorDetails().errorCode(), "no error code");
            String detail = code + ": " + service.awsErrorDetails().errorMessage()
                    + " (HTTP " + service.statusCode() + ", request id " + service.requestId() + ")";
            if (UNAUTHORIZED.contains(code)) {
                return new DeployException("not authorized to " + action + " - " + detail
                        + ". Check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) and that the IAM policy"
                        + " in the README's Deploy section is attached.", e);
            }
            if (CAPACITY.contains(code)) {
                return new DeployException("AWS has no capacity to " + action + " - " + detail
                        + ". Try another instance type (--instance-type), another availability zone,"
                        + " or ask for a higher limit.", e);
            }
            if (THROTTLING.contains(code)) {
                return new DeployException("AWS throttled " + action + " and it still failed after "
                        + attempts(e) + " attempts - " + detail + ". Wait a minute and run it again.", e);
            }
            return new DeployException("AWS refused to " + action + " - " + detail, e);
        }
        if (e instanceof SdkClientException) {
            return new DeployException("could not reach AWS to " + action + " - " + e.getMessage()
                    + ". Check --region, --endpoint-url and the network.", e);
        }
        return new DeployException("AWS call failed while trying to " + action + " - " + e.getMessage(), e);
    }

    private static String attempts(SdkException e) {
        return e.numAttempts() == null ? "several" : String.valueOf(e.numAttempts());
    }
}
