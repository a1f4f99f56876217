package vn.vss.ivr.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelephoneAudioTest {

    @Test
    void givenOneSecondAt48kHz_thenOneSecondAt8kHzComesOutWithTheToneKeptAndTheGainLowered() throws Exception {
        short[] tone = new short[48_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (20_000 * Math.sin(2 * Math.PI * 1_000 * i / 48_000.0));
        }

        short[] telephone = TelephoneAudio.toTelephoneRate(tone, 48_000, -6);

        assertThat(telephone).hasSize(8_000);
        int peak = 0;
        for (int i = 200; i < telephone.length - 200; i++) {
            peak = Math.max(peak, Math.abs(telephone[i]));
        }
        assertThat(peak).isBetween(9_000, 11_000);
        TelephoneAudio.Pcm read = TelephoneAudio.read(new ByteArrayInputStream(TelephoneAudio.wav(telephone)));
        assertThat(read.sampleRate()).isEqualTo(8_000);
        assertThat(read.duration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(read.samples()).containsExactly(telephone);
    }

    @Test
    void givenA5kHzToneAbovePhoneBand_thenTheFilterRemovesItInsteadOfFoldingItBack() {
        short[] tone = new short[48_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (20_000 * Math.sin(2 * Math.PI * 5_000 * i / 48_000.0));
        }

        short[] telephone = TelephoneAudio.toTelephoneRate(tone, 48_000, 0);

        int peak = 0;
        for (int i = 200; i < telephone.length - 200; i++) {
            peak = Math.max(peak, Math.abs(telephone[i]));
        }
        assertThat(peak).isLessThan(1_000);
    }
}
