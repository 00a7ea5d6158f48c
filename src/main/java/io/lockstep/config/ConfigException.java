package io.lockstep.config;

/** An invalid configuration: the message is one line naming the key that is wrong. */
public class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super("config error: " + key + ": " + problem);
    }
}
