package tally.deploy;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where an environment's datasets live, and what its instances may do there. The instances run
 * Tally with {@code --store s3://BUCKET/data/ENV/} (or {@code --data-store}), so datasets outlive
 * every release. They reach it through an instance profile made per environment ({@code tally-ENV},
 * role {@code tally-ENV-instance}, tagged {@code app=tally}, {@code env=ENV}) whose only permissions
 * are the store's objects under its prefix. The bucket gets a lifecycle rule that aborts multipart
 * uploads left open for a day (the service's own sweep does it sooner; the rule is the backstop).
 */
public final class EnvDataStore {
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},\
            "Action":"sts:AssumeRole"}]}""";

    private final IamClient iam;
    private final S3Client s3;
    private final String env;
    private final String bucket;
    private final String prefix;
    private final EnvTokens tokens;

    /** @param tokens the environment's token list: its instances read it too */
    public EnvDataStore(IamClient iam, S3Client s3, String env, String location, EnvTokens tokens) {
        this.iam = iam;
        this.s3 = s3;
        this.env = Fleet.checkEnv(env);
        this.tokens = tokens;
        if (!location.startsWith("s3://") || location.length() <= "s3://".length()) {
            throw new DeployException("--data-store must be s3://BUCKET/PREFIX, not " + location, 2, null);
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        this.bucket = slash < 0 ? rest : rest.substring(0, slash);
        String p = slash < 0 ? "" : rest.substring(slash + 1);
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    /** The default: beside the releases, one prefix per environment. */
    public static String defaultLocation(String bucket, String env) {
        return "s3://" + bucket + "/data/" + env + "/";
    }

    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** Where the instances read who may write: {@link EnvTokens}. */
    public String tokenList() {
        return tokens.location();
    }

    public String profileName() {
        return "tally-" + env;
    }

    String roleName() {
        return "tally-" + env + "-instance";
    }

    /**
     * The role's one inline policy: the store's objects and multipart uploads under its prefix, reading the
     * token list, and reading the environment's certificate and key ({@link EnvTls}), nothing else. The
     * last is granted whether or not the environment has TLS yet: the folder is the environment's own, and
     * {@code tls put} then needs no rewrite of the policy to count at the next release.
     */
    String policy() {
        String objects = "arn:aws:s3:::" + bucket + "/" + prefix + "*";
        String tokenList = "arn:aws:s3:::" + tokens.location().substring("s3://".length());
        String tlsFiles = tokenList.substring(0, tokenList.length() - EnvTokens.key(env).length())
                + EnvTls.prefix(env) + "*";
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"Tokens\",\"Effect\":\"Allow\",\"Resource\":\"" + tokenList + "\","
                + "\"Action\":[\"s3:GetObject\"]},"
                + "{\"Sid\":\"Tls\",\"Effect\":\"Allow\",\"Resource\":\"" + tlsFiles + "\","
                + "\"Action\":[\"s3:GetObject\"]},"
                + "{\"Sid\":\"Objects\",\"Effect\":\"Allow\",\"Resource\":\"" + objects + "\","
                + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\",\"s3:AbortMultipartUpload\","
                + "\"s3:ListMultipartUploadParts\"]},"
                + "{\"Sid\":\"List\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:s3:::" + bucket + "\","
                + "\"Action\":[\"s3:ListBucket\",\"s3:ListBucketMultipartUploads\"],"
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"" + prefix + "*\"]}}}]}";
    }

    /** Makes sure the instance profile, the lifecycle rule and the token list exist; returns the profile's name. */
    public String prepare() {
        ensureRole();
        ensureProfile();
        ensureLifecycleRule();
        // An empty list rather than none: with GetObject alone, AWS answers 403 for a missing key, not 404.
        tokens.ensureList();
        return profileName();
    }

    private void ensureRole() {
        AwsErrors.during("create role " + roleName(), () -> {
            try {
                iam.getRole(b -> b.roleName(roleName()));
            } catch (NoSuchEntityException e) {
                iam.createRole(b -> b.roleName(roleName()).assumeRolePolicyDocument(TRUST)
                        .description("Tally " + env + " instances: their dataset store only")
                        .tags(t -> t.key("app").value(Fleet.APP), t -> t.key("env").value(env)));
            }
            // Written every time: a --data-store that changed moves the permissions with it.
            iam.putRolePolicy(b -> b.roleName(roleName()).policyName("tally-data-store").policyDocument(policy()));
            return null;
        });
    }

    private void ensureProfile() {
        AwsErrors.during("create instance profile " + profileName(), () -> {
            try {
                if (!iam.getInstanceProfile(b -> b.instanceProfileName(profileName())).instanceProfile().roles()
                        .isEmpty()) {
                    return null;
                }
            } catch (NoSuchEntityException e) {
                iam.createInstanceProfile(b -> b.instanceProfileName(profileName())
                        .tags(t -> t.key("app").value(Fleet.APP), t -> t.key("env").value(env)));
            }
            iam.addRoleToInstanceProfile(b -> b.instanceProfileName(profileName()).roleName(roleName()));
            return null;
        });
    }

    private void ensureLifecycleRule() {
        String id = "tally-abort-incomplete-uploads";
        AwsErrors.during("lifecycle rule of " + bucket, () -> {
            List<LifecycleRule> rules = new ArrayList<>();
            try {
                rules.addAll(s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules());
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
            }
            if (rules.stream().anyMatch(r -> id.equals(r.id()))) {
                return null;
            }
            // The rule covers the whole bucket: releases are single PUTs, so only data stores ever leave uploads open.
            rules.add(LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                    .abortIncompleteMultipartUpload(AbortIncompleteMultipartUpload.builder().daysAfterInitiation(1)
                            .build())
                    .build());
            s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
            return null;
        });
    }

    /** Removes the instance profile and its role (the instances using them are gone). */
    public void removeProfile() {
        AwsErrors.during("remove instance profile " + profileName(), () -> {
            ignoreMissing(() -> iam.removeRoleFromInstanceProfile(b -> b.instanceProfileName(profileName())
                    .roleName(roleName())));
            ignoreMissing(() -> iam.deleteInstanceProfile(b -> b.instanceProfileName(profileName())));
            ignoreMissing(() -> iam.deleteRolePolicy(b -> b.roleName(roleName()).policyName("tally-data-store")));
            ignoreMissing(() -> iam.deleteRole(b -> b.roleName(roleName())));
            return null;
        });
    }

    /** Deletes every dataset object under the prefix and aborts its open uploads; returns how many objects went. */
    public int deleteData() {
        return AwsErrors.during("delete the data under " + location(), () -> {
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads()
                    .forEach(u -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
            int[] deleted = {0};
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> {
                s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
                deleted[0]++;
            });
            return deleted[0];
        });
    }

    private static void ignoreMissing(Runnable call) {
        try {
            call.run();
        } catch (NoSuchEntityException e) {
            // already gone
        }
    }
}
