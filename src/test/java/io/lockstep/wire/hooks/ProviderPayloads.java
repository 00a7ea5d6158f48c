package io.lockstep.wire.hooks;

/**
 * Push notifications shaped exactly like each provider's documented example (the URL on each), with
 * only the repository, tag and digest filled in, so the tests feed Lockstep what those services send.
 */
public final class ProviderPayloads {
    private ProviderPayloads() {
    }

    /**
     * Harbor, payload format "Default", event PUSH_ARTIFACT.
     * https://goharbor.io/docs/latest/working-with-projects/project-configuration/configure-webhooks/
     */
    public static String harbor(String namespace, String name, String tag, String digest) {
        return """
                {
                  "type": "PUSH_ARTIFACT",
                  "occur_at": 1680501893,
                  "operator": "admin",
                  "event_data": {
                    "resources": [
                      {
                        "digest": "%4$s",
                        "tag": "%3$s",
                        "resource_url": "harbor.example.com/%1$s/%2$s:%3$s"
                      }
                    ],
                    "repository": {
                      "date_created": 1680501893,
                      "name": "%2$s",
                      "namespace": "%1$s",
                      "repo_full_name": "%1$s/%2$s",
                      "repo_type": "private"
                    }
                  }
                }
                """.formatted(namespace, name, tag, digest);
    }

    /** Harbor's notification of a pull (PULL_ARTIFACT): not a push. Same documentation page. */
    public static String harborPull(String namespace, String name, String digest) {
        return harbor(namespace, name, "latest", digest).replace("PUSH_ARTIFACT", "PULL_ARTIFACT");
    }

    /** Docker Hub's repository webhook. https://docs.docker.com/docker-hub/repos/manage/webhooks/ */
    public static String dockerHub(String namespace, String name, String tag) {
        return """
                {
                  "callback_url": "https://registry.hub.docker.com/u/%1$s/%2$s/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/",
                  "push_data": {
                    "pushed_at": 1417566161,
                    "pusher": "trustedbuilder",
                    "tag": "%3$s"
                  },
                  "repository": {
                    "comment_count": 0,
                    "date_created": 1417494799,
                    "description": "",
                    "dockerfile": "FROM ubuntu\\n",
                    "full_description": "Docker Hub based automated build from a GitHub repo",
                    "is_official": false,
                    "is_private": true,
                    "is_trusted": true,
                    "name": "%2$s",
                    "namespace": "%1$s",
                    "owner": "%1$s",
                    "repo_name": "%1$s/%2$s",
                    "repo_url": "https://registry.hub.docker.com/u/%1$s/%2$s/",
                    "star_count": 0,
                    "status": "Active"
                  }
                }
                """.formatted(namespace, name, tag);
    }

    /**
     * GitHub, event {@code registry_package}, action {@code published}, a container on ghcr.io.
     * https://docs.github.com/en/webhooks/webhook-events-and-payloads#registry_package
     */
    public static String github(String action, String owner, String name, String tag, String digest) {
        return """
                {
                  "action": "%1$s",
                  "registry_package": {
                    "id": 35087,
                    "name": "%3$s",
                    "namespace": "%2$s",
                    "description": "",
                    "ecosystem": "CONTAINER",
                    "package_type": "CONTAINER",
                    "html_url": "https://github.com/orgs/%2$s/packages/container/package/%3$s",
                    "created_at": "2026-11-30T08:00:00Z",
                    "updated_at": "2026-11-30T08:00:00Z",
                    "owner": {"login": "%2$s", "id": 21031067, "type": "Organization", "site_admin": false},
                    "package_version": {
                      "id": 3190872,
                      "version": "%5$s",
                      "name": "%5$s",
                      "description": "",
                      "summary": "",
                      "body": "",
                      "manifest": "",
                      "html_url": "https://github.com/orgs/%2$s/packages/container/%3$s/3190872",
                      "target_commitish": "",
                      "target_oid": "",
                      "created_at": "2026-11-30T08:00:00Z",
                      "updated_at": "2026-11-30T08:00:00Z",
                      "metadata": [],
                      "container_metadata": {
                        "tag": {"name": "%4$s", "digest": "%5$s"},
                        "labels": {"description": "", "source": "", "revision": "", "image_url": "", "licenses": "", "all_labels": {}},
                        "manifest": {"digest": "%5$s", "media_type": "application/vnd.oci.image.manifest.v1+json", "uri": "", "size": 0, "config": {}, "layers": []}
                      },
                      "package_files": [],
                      "installation_command": "docker pull ghcr.io/%2$s/%3$s:%4$s",
                      "package_url": "ghcr.io/%2$s/%3$s:%4$s"
                    },
                    "registry": {
                      "about_url": "https://docs.github.com/packages/learn-github-packages/introduction-to-github-packages",
                      "name": "GitHub CONTAINER registry",
                      "type": "CONTAINER",
                      "url": "https://ghcr.io/%2$s",
                      "vendor": "GitHub Inc"
                    }
                  },
                  "repository": {"id": 17273051, "name": "%3$s", "full_name": "%2$s/%3$s", "private": true},
                  "organization": {"login": "%2$s", "id": 21031067},
                  "sender": {"login": "octocat", "id": 583231, "type": "User"}
                }
                """.formatted(action, owner, name, tag, digest);
    }

    /** GitHub's {@code ping} when a webhook is created. https://docs.github.com/en/webhooks/webhook-events-and-payloads#ping */
    public static String githubPing() {
        return """
                {"zen": "Design for failure.", "hook_id": 109948940,
                 "hook": {"type": "Organization", "id": 109948940, "name": "web", "active": true,
                          "events": ["registry_package"], "config": {"content_type": "json", "insecure_ssl": "0", "url": "https://lockstep.example.com/api/v1/hooks/github"}}}
                """;
    }

    /**
     * Quay "Repository Push" notification.
     * https://docs.redhat.com/en/documentation/red_hat_quay/3.4/html/use_red_hat_quay/repository_notifications
     */
    public static String quay(String namespace, String name, String tag) {
        return """
                {
                  "name": "%2$s",
                  "repository": "%1$s/%2$s",
                  "namespace": "%1$s",
                  "docker_url": "quay.io/%1$s/%2$s",
                  "homepage": "https://quay.io/repository/%1$s/%2$s",
                  "updated_tags": [
                    "%3$s"
                  ]
                }
                """.formatted(namespace, name, tag);
    }

    /** Quay "Dockerfile Build Queued": not a push. Same documentation page. */
    public static String quayBuildQueued(String namespace, String name) {
        return """
                {
                  "build_id": "296ec063-5f86-4706-a469-f0a400bf9df2",
                  "trigger_kind": "github",
                  "name": "%2$s",
                  "repository": "%1$s/%2$s",
                  "namespace": "%1$s",
                  "docker_url": "quay.io/%1$s/%2$s",
                  "trigger_id": "38b6e180-9521-4ff7-9844-acf371340b9e",
                  "docker_tags": ["master", "latest"],
                  "repo": "%2$s",
                  "trigger_metadata": {"default_branch": "master", "commit": "b7f7d2b948aacbe844ee465122a85a9368b2b735",
                                       "ref": "refs/heads/master", "git_url": "git@github.com:%1$s/%2$s.git"},
                  "homepage": "https://quay.io/repository/%1$s/%2$s/build/296ec063-5f86-4706-a469-f0a400bf9df2"
                }
                """.formatted(namespace, name);
    }

    /**
     * A GitLab container registry's notification: the CNCF distribution envelope (GitLab's registry is
     * a distribution registry; its notifications are configured in gitlab.rb / the chart).
     * https://distribution.github.io/distribution/about/notifications/ and
     * https://docs.gitlab.com/administration/packages/container_registry/#configure-container-registry-notifications
     */
    public static String gitlab(String action, String repository, String tag, String digest) {
        return """
                {
                  "events": [
                    {
                      "id": "320678d8-ca14-430f-8bb6-4ca139cd83f7",
                      "timestamp": "2026-11-30T08:00:00.402973972Z",
                      "action": "%1$s",
                      "target": {
                        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                        "size": 708,
                        "digest": "%4$s",
                        "length": 708,
                        "repository": "%2$s",
                        "url": "https://registry.gitlab.example.com/v2/%2$s/manifests/%4$s",
                        "tag": "%3$s"
                      },
                      "request": {"id": "6df24a34-0959-4923-81ca-14f09767db19", "addr": "192.168.64.11:42961",
                                  "host": "registry.gitlab.example.com", "method": "PUT", "useragent": "docker/27.3.1"},
                      "actor": {"name": "root"},
                      "source": {"addr": "registry-7f9c:5000", "instanceID": "a53db899-3b4b-4a62-a067-8dd013beaca4"}
                    }
                  ]
                }
                """.formatted(action, repository, tag, digest);
    }
}
