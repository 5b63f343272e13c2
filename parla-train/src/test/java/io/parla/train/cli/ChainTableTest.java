package io.parla.train.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain table reads each stage's metrics/val CSVs and the wall-time log; absent stages are left out. */
class ChainTableTest {
    @Test
    void summarisesEachStagePresent(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("3-encoder"));
        StringBuilder m = new StringBuilder("step,seconds,loss\n");
        for (int s = 1; s <= 30; s++) m.append(s).append(",0.1,").append(s <= 5 ? 2.0 : 1.0).append('\n');
        Files.writeString(root.resolve("3-encoder/metrics.csv"), m);
        Files.writeString(root.resolve("3-encoder/val.csv"), "step,val_loss,feat_mse,feat_rel_l2\n10,0.9,1.5,0.8\n30,0.5,1.25,0.75\n");
        Files.writeString(root.resolve("wall-seconds.txt"), "3 encoder 150\n3 encoder 8\n");
        String t = ChainTable.table(root);
        assertThat(t).contains("| 3 encoder | 30 | 2 min 38 s | 2 → 1 | 0.5 | 0.75 (1.25) | – | – | – | – |");
        assertThat(t).doesNotContain("teacher (codec").contains("Total wall time of the training stages: 2 min 38 s");
    }
}
