/**
 * Internals of the coordinator side: one launch strategy per start method, child handles, the registry
 * of live children. Public only so that {@code io.mp4j} can use them; not part of the API.
 */
package io.mp4j.core;
