/** The runnable node agent: command line, configuration and wiring of the other modules. */
package io.ecivk.agent;
