/**
 * The client side of the {@code lockstep} CLI, reusable by every client command.
 * <ul>
 *   <li>{@link io.lockstep.cli.client.TargetOptions} — picocli mixin: {@code --target NAME=URL},
 *       {@code --token-env NAME=VARIABLE}, {@code --environment NAME=ENV}, {@code --targets FILE},
 *       {@code --verbose}. {@code resolve(System.getenv())} gives {@link io.lockstep.cli.client.Target}s and
 *       problem lines without sending a request.</li>
 *   <li>{@link io.lockstep.cli.client.LockstepClient} — JDK HttpClient for one target; every call returns an
 *       {@link io.lockstep.cli.client.ApiResponse} (connection failures are status 0), tokens are only ever
 *       written into the Authorization header; {@link io.lockstep.cli.client.HttpTrace} redacts it.</li>
 *   <li>{@link io.lockstep.cli.client.RetryOptions} / {@link io.lockstep.cli.client.CallRetry} — retry a 409 the server marks retryable.</li>
 *   <li>{@link io.lockstep.cli.client.Fanout} — one task per target, concurrently, fail-fast false.</li>
 *   <li>{@link io.lockstep.cli.client.ReleaseFile} — release file parsing and completeness checks.</li>
 *   <li>{@link io.lockstep.cli.client.Report} of {@link io.lockstep.cli.client.ResultRow}s — text table,
 *       {@code --json}, GitHub/Gitea {@code ::error} annotations and step summary.</li>
 * </ul>
 */
package io.lockstep.cli.client;
