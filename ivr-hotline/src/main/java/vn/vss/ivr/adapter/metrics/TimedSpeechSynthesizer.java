package vn.vss.ivr.adapter.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import vn.vss.ivr.call.SpeechSynthesizer;

/** Times every synthesis as {@code ivr_synthesis_seconds}. */
public final class TimedSpeechSynthesizer implements SpeechSynthesizer {
    private final SpeechSynthesizer synthesizer;
    private final Timer timer;

    public TimedSpeechSynthesizer(SpeechSynthesizer synthesizer, MeterRegistry registry) {
        this.synthesizer = synthesizer;
        this.timer = Timer.builder("ivr.synthesis")
                .description("Time to synthesise one prompt")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public short[] speak(String text) {
        return timer.record(() -> synthesizer.speak(text));
    }

    @Override
    public String voice() {
        return synthesizer.voice();
    }
}
