/** The self-contained demo: everything in-process, nothing to configure, no cloud account. */
package io.ecivk.agent.demo;
