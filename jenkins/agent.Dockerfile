# The Tally build agent: what jenkins/stages.sh needs, installed up front so its setup stage only checks.
# JDK 17 and Maven build and test; Debian's chromium and chromium-driver (matching versions) run the UI
# tests offline; moto_server emulates EC2 and S3 for the deploy tests. The controller starts it over SSH.
FROM jenkins/ssh-agent:latest-bookworm-jdk17

USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      default-jdk-headless maven git ca-certificates \
      chromium chromium-driver fonts-dejavu-core shellcheck \
      python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*

# moto in its own virtualenv (Debian's Python refuses a system-wide pip install), on every PATH.
RUN python3 -m venv /opt/moto \
 && /opt/moto/bin/pip install --no-cache-dir 'moto[server]==5.2.1' \
 && ln -s /opt/moto/bin/moto_server /usr/local/bin/moto_server

# The agent JVM runs on the image's own runtime; builds use Debian's full JDK (javac) through JAVA_HOME,
# which jenkins.yaml sets on the node. A named volume keeps ~/.m2 between builds.
RUN mkdir -p /home/jenkins/.m2 /home/jenkins/agent && chown -R jenkins:jenkins /home/jenkins
