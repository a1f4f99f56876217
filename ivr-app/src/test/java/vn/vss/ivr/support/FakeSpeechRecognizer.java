package vn.vss.ivr.support;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;
import vn.vss.ivr.call.SpeechRecognizer;

/** A recogniser that "hears" the digits it is told to, in order. */
public final class FakeSpeechRecognizer implements SpeechRecognizer {
    private final Deque<Recognition> results = new ArrayDeque<>();

    public FakeSpeechRecognizer hears(String digits) {
        results.add(new Recognition(Recognition.Status.DIGITS, digits, List.of()));
        return this;
    }

    public FakeSpeechRecognizer hearsTooMuchNoise() {
        results.add(Recognition.tooNoisy());
        return this;
    }

    public FakeSpeechRecognizer hearsNothingClear() {
        results.add(Recognition.unclear());
        return this;
    }

    public FakeSpeechRecognizer fails() {
        results.add(Recognition.failed());
        return this;
    }

    @Override
    public boolean accepts(Language language) {
        return true;
    }

    @Override
    public Recognition recognizeDigits(Path recording, Language language) {
        return results.isEmpty() ? Recognition.failed() : results.pop();
    }
}
