package io.parla.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputFilesTest {
    @TempDir
    Path dir;

    private Path touch(String rel, String content) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void foldersAreSearchedRecursivelyForWavAndFlacInOrder() throws Exception {
        Path b = touch("corpus/b.wav", "x");
        Path a = touch("corpus/sub/a.FLAC", "x");
        touch("corpus/notes.txt", "x");
        Path c = touch("corpus/a.flac", "x");
        List<Path> files = InputFiles.collect(List.of(dir.resolve("corpus"))).files();
        assertThat(files).containsExactly(c, b, a);
    }

    @Test
    void manifestsListPathsRelativeToThemselves() throws Exception {
        Path a = touch("m/x/a.flac", "x");
        Path manifest = touch("m/list.tsv", "path\tseconds\n# comment\n\nx/a.flac\t1.2\n/abs/missing.wav\t3\nx/a.flac\t1\n");
        List<Path> files = InputFiles.collect(List.of(manifest)).files();
        assertThat(files).containsExactly(a, Path.of("/abs/missing.wav"));
    }

    @Test
    void filesAreRecognisedByContentWhateverTheirName() throws Exception {
        Path riff = touch("odd.bin", "RIFF....WAVE");
        assertThat(InputFiles.collect(List.of(riff)).files()).containsExactly(riff);
    }

    @Test
    void anEmptyFolderIsAClearError() throws Exception {
        Files.createDirectories(dir.resolve("empty/sub"));
        touch("empty/readme.md", "no audio");
        assertThatThrownBy(() -> InputFiles.collect(List.of(dir.resolve("empty"))))
                .hasMessageContaining("no WAV or FLAC files found in").hasMessageContaining("empty");
    }

    @Test
    void aMissingPathIsAnError() {
        assertThatThrownBy(() -> InputFiles.collect(List.of(dir.resolve("nope"))))
                .hasMessageContaining("no such file or folder");
    }

    @Test
    void anEmptyFolderBesideOthersIsOnlyReported() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Path a = touch("full/a.wav", "x");
        InputFiles.Collected c = InputFiles.collect(List.of(dir.resolve("empty"), dir.resolve("full")));
        assertThat(c.files()).containsExactly(a);
        assertThat(c.emptyFolders()).containsExactly(dir.resolve("empty"));
    }
}
