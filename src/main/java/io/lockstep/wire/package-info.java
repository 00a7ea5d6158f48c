/**
 * The JSON shapes of the API, one codec per resource, each writing and reading its shape: the
 * server writes with them, the CLI reads with them, so the two cannot disagree on a field name.
 * Field names follow the seed's control plane ({@code template_name}, {@code image_digest}, …) so
 * old and new clients read the same pins. Depends on {@code domain} and Jackson only.
 */
package io.lockstep.wire;
