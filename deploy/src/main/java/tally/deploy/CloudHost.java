package tally.deploy;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;

/** Real EC2: instances run their user-data at boot and are reached on their public address. */
public final class CloudHost implements InstanceHost {
    private final int port;
    private final String scheme;

    /** @param scheme {@code http}, or {@code https} for an environment with TLS */
    public CloudHost(int port, String scheme) {
        this.port = port;
        this.scheme = scheme;
    }

    @Override
    public void started(List<Instance> instances) {
        // cloud-init runs the user-data on the instance itself.
    }

    @Override
    public URI endpoint(Instance instance) {
        String ip = instance.publicIpAddress() != null ? instance.publicIpAddress() : instance.privateIpAddress();
        return URI.create(scheme + "://" + ip + ":" + port);
    }

    @Override
    public URI addressEndpoint(String publicIp, String instanceId) {
        return URI.create(scheme + "://" + publicIp + ":" + port);
    }

    @Override
    public void terminated(Collection<String> instanceIds) {
        // EC2 stops them.
    }
}
