/** The {@code run} command: the agent against a real cluster and ECI. */
package io.ecivk.agent.run;
