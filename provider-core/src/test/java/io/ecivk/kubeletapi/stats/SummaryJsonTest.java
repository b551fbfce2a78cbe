package io.ecivk.kubeletapi.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryJsonTest {

  @Test
  void rendersTheSummaryApiWithNodeFiguresSummedOverPods() {
    String expected = "{\"node\":{\"nodeName\":\"vk-1\",\"startTime\":\"2026-11-23T08:00:00Z\","
        + "\"cpu\":{\"time\":\"2026-11-23T10:00:10Z\",\"usageNanoCores\":1250000000,"
        + "\"usageCoreNanoSeconds\":912500000000},"
        + "\"memory\":{\"time\":\"2026-11-23T10:00:10Z\",\"usageBytes\":157286400,\"workingSetBytes\":105857600,"
        + "\"rssBytes\":83886080}},"
        + "\"pods\":["
        + "{\"podRef\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"uid\":\"uid-web\"},"
        + "\"startTime\":\"2026-11-23T09:00:00Z\","
        + "\"containers\":["
        + "{\"name\":\"nginx\",\"startTime\":\"2026-11-23T09:00:05Z\","
        + "\"cpu\":{\"time\":\"2026-11-23T10:00:00Z\",\"usageNanoCores\":200000000,"
        + "\"usageCoreNanoSeconds\":10000000000},"
        + "\"memory\":{\"time\":\"2026-11-23T10:00:00Z\",\"usageBytes\":125829120,\"workingSetBytes\":83886080,"
        + "\"rssBytes\":67108864}},"
        + "{\"name\":\"sidecar\",\"startTime\":\"2026-11-23T09:00:06Z\","
        + "\"cpu\":{\"time\":\"2026-11-23T10:00:00Z\",\"usageNanoCores\":50000000,"
        + "\"usageCoreNanoSeconds\":2500000000},"
        + "\"memory\":{\"time\":\"2026-11-23T10:00:00Z\",\"usageBytes\":31457280,\"workingSetBytes\":20971520,"
        + "\"rssBytes\":16777216}}],"
        + "\"cpu\":{\"time\":\"2026-11-23T10:00:00Z\",\"usageNanoCores\":250000000,"
        + "\"usageCoreNanoSeconds\":12500000000},"
        + "\"memory\":{\"time\":\"2026-11-23T10:00:00Z\",\"usageBytes\":157286400,\"workingSetBytes\":104857600,"
        + "\"rssBytes\":83886080},"
        + "\"network\":{\"time\":\"2026-11-23T10:00:00Z\",\"name\":\"eth0\",\"rxBytes\":1000,\"rxErrors\":1,"
        + "\"txBytes\":2000,\"txErrors\":2,\"interfaces\":[{\"name\":\"eth0\",\"rxBytes\":1000,\"rxErrors\":1,"
        + "\"txBytes\":2000,\"txErrors\":2}]},"
        + "\"ephemeral-storage\":{\"time\":\"2026-11-23T10:00:00Z\",\"usedBytes\":4096}},"
        + "{\"podRef\":{\"name\":\"batch-\\\"x\\\"\",\"namespace\":\"jobs\",\"uid\":\"uid-batch\"},"
        + "\"startTime\":\"2026-11-23T09:30:00Z\","
        + "\"containers\":[{\"name\":\"main\",\"startTime\":\"2026-11-23T09:30:01Z\","
        + "\"cpu\":{\"time\":\"2026-11-23T10:00:10Z\",\"usageNanoCores\":1000000000,"
        + "\"usageCoreNanoSeconds\":900000000000},"
        + "\"memory\":{\"time\":\"2026-11-23T10:00:10Z\",\"workingSetBytes\":1000000}}],"
        + "\"cpu\":{\"time\":\"2026-11-23T10:00:10Z\",\"usageNanoCores\":1000000000,"
        + "\"usageCoreNanoSeconds\":900000000000},"
        + "\"memory\":{\"time\":\"2026-11-23T10:00:10Z\",\"workingSetBytes\":1000000}}]}";
    assertThat(SummaryJson.render(StatsFixtures.snapshot(List.of()))).isEqualTo(expected);
  }

  @Test
  void aNodeWithoutPodsReportsZeroUsageAtScrapeTime() {
    StatsSnapshot empty = new StatsSnapshot("vk-1", StatsFixtures.NODE_START, StatsFixtures.NOW, List.of(),
        List.of());
    assertThat(SummaryJson.render(empty)).isEqualTo("{\"node\":{\"nodeName\":\"vk-1\","
        + "\"startTime\":\"2026-11-23T08:00:00Z\",\"cpu\":{\"time\":\"2026-11-23T10:00:30Z\",\"usageNanoCores\":0,"
        + "\"usageCoreNanoSeconds\":0},\"memory\":{\"time\":\"2026-11-23T10:00:30Z\",\"usageBytes\":0,"
        + "\"workingSetBytes\":0,\"rssBytes\":0}},\"pods\":[]}");
  }
}
