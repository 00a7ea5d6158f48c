package io.lockstep.domain.drift;

import io.lockstep.domain.Digest;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Environments meant to be the same must pin the same digests, even on different control planes
 * (two prod control planes once disagreed while promoting one of them returned 200).
 * When the CLI reads several targets, this names every (template, region) whose digest differs
 * between environments that are meant to be the same.
 *
 * <p>Rule: a <em>location</em> is one environment on one target, written {@code environment@target}.
 * Locations whose environment maps to the same peer name (by default the environment name itself,
 * so {@code prod} on server A and {@code prod} on server B) must agree. For each peer set with at
 * least two locations, and each (template, region) pinned in any of them, the pins disagree when
 * the digests differ or some location has no pin at all. A location takes part once it has at
 * least one pin; a target that returned nothing for an environment cannot be told apart from one
 * that does not host it. Only digests are compared: releases and promotion times may differ
 * legitimately between replicas.
 */
public final class CrossEnvironmentComparison {
    private CrossEnvironmentComparison() {
    }

    /** Compares environments of the same name across targets. */
    public static List<PinDisagreement> compare(List<PinSource> sources) {
        return compare(sources, Function.identity());
    }

    /**
     * {@code peerOf} maps an environment name to the name of the set it must agree with, e.g.
     * {@code prod-a} and {@code prod-b} both to {@code prod} when one server hosts both.
     */
    public static List<PinDisagreement> compare(List<PinSource> sources, Function<String, String> peerOf) {
        // peer → location → (template/region → digest); tree maps keep the output order stable
        Map<String, Map<String, Map<Slot, String>>> byPeer = new TreeMap<>();
        for (PinSource source : sources) {
            for (Pin pin : source.pins()) {
                String peer = peerOf.apply(pin.key().environment());
                String location = pin.key().environment() + "@" + source.target();
                byPeer.computeIfAbsent(peer, p -> new TreeMap<>())
                        .computeIfAbsent(location, l -> new TreeMap<>())
                        .put(new Slot(pin.key().template(), pin.key().region()), pin.digest());
            }
        }
        List<PinDisagreement> out = new ArrayList<>();
        byPeer.forEach((peer, locations) -> {
            if (locations.size() >= 2) {
                out.addAll(disagreements(peer, locations));
            }
        });
        return out;
    }

    private static List<PinDisagreement> disagreements(String peer, Map<String, Map<Slot, String>> locations) {
        Set<Slot> slots = new TreeSet<>();
        locations.values().forEach(m -> slots.addAll(m.keySet()));
        List<PinDisagreement> out = new ArrayList<>();
        for (Slot slot : slots) {
            Map<String, String> digests = new TreeMap<>();
            List<String> missing = new ArrayList<>();
            locations.forEach((location, pins) -> {
                String digest = pins.get(slot);
                if (digest == null) {
                    missing.add(location);
                } else {
                    digests.put(location, digest);
                }
            });
            if (missing.isEmpty() && new TreeSet<>(digests.values()).size() == 1) {
                continue;
            }
            out.add(new PinDisagreement(peer, slot.template(), slot.region(), digests, missing,
                    explain(peer, slot, digests, missing)));
        }
        return out;
    }

    private static String explain(String peer, Slot slot, Map<String, String> digests, List<String> missing) {
        List<String> parts = new ArrayList<>();
        digests.forEach((location, digest) -> parts.add(location + " runs " + Digest.shortForm(digest)));
        missing.forEach(location -> parts.add(location + " has no pin"));
        String region = Names.DEFAULT_REGION.equals(slot.region()) ? "" : " (region " + slot.region() + ")";
        return slot.template() + region + " disagrees across " + peer + ": " + String.join(", ", parts)
                + "; promote the same digest to every " + peer + " target.";
    }

    private record Slot(String template, String region) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot o) {
            int c = template.compareTo(o.template);
            return c != 0 ? c : region.compareTo(o.region);
        }
    }
}
