package tally.deploy;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Where launched instances actually run. On AWS, EC2 boots them and runs their user-data; in a
 * rehearsal, the user-data runs on this machine in a sandbox. Everything else in a release is the same.
 */
public interface InstanceHost {
    /** The instances reached the running state: run their user-data if nobody else does. */
    void started(List<Instance> instances);

    /** Base URI of the service on one instance. */
    URI endpoint(Instance instance);

    /** Base URI of the service through the environment's stable address. */
    URI addressEndpoint(String publicIp, String instanceId);

    /** The instances were terminated through EC2: stop whatever ran them. */
    void terminated(Collection<String> instanceIds);
}
