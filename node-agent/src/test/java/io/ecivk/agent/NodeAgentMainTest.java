package io.ecivk.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeAgentMainTest {

  @Test
  void helpListsTheSubcommandsAndDemoDocumentsItsFlags() {
    StringWriter top = new StringWriter();
    StringWriter demo = new StringWriter();

    int topExit = new CommandLine(new NodeAgentMain()).setOut(new PrintWriter(top)).execute("--help");
    int demoExit = new CommandLine(new NodeAgentMain()).setOut(new PrintWriter(demo)).execute("demo", "--help");

    assertThat(topExit).isZero();
    assertThat(top.toString()).contains("demo").contains("Usage: node-agent");
    assertThat(demoExit).isZero();
    assertThat(demo.toString()).contains("--replicas", "--port", "--once", "--timeout");
  }

  @Test
  void missingSubcommandIsAUsageError() {
    StringWriter err = new StringWriter();

    int exit = new CommandLine(new NodeAgentMain()).setErr(new PrintWriter(err)).execute();

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("Missing subcommand");
  }
}
