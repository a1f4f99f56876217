package vn.vss.ivr.adapter.vosk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;

/**
 * Turns the decoder's readings of each stretch into one {@link Recognition}. In noise the decoder
 * mostly drops digits rather than inventing them, and a code always has the same length: so among
 * the n-best the best-scoring combination with the expected number of digits wins over a shorter
 * best reading. Each digit's confidence is the decoder's word confidence or, with n-best, the share
 * of the readings' probability that agrees on that word at that time.
 */
final class DigitChoice {
    private DigitChoice() {}

    static Recognition choose(List<VoskResult> stretches, Language language, int expectedDigits) {
        List<VoskResult> heard = stretches.stream().filter(s -> !s.isSilence()).toList();
        if (heard.isEmpty()) {
            return Recognition.unclear();
        }
        List<VoskResult.Reading> chosen = Optional.of(expectedDigits)
                .filter(length -> length > 0)
                .flatMap(length -> withLength(heard, language, length))
                .orElseGet(() -> heard.stream().map(s -> s.readings().get(0)).toList());
        StringBuilder digits = new StringBuilder();
        List<Double> confidences = new ArrayList<>();
        for (int i = 0; i < heard.size(); i++) {
            VoskResult.Reading reading = chosen.get(i);
            Optional<String> readingDigits = DigitWords.digits(reading.texts(), language);
            if (readingDigits.isEmpty()) {
                return Recognition.unclear();
            }
            digits.append(readingDigits.get());
            for (VoskResult.Word word : reading.words()) {
                confidences.add(confidence(word, heard.get(i)));
            }
        }
        if (digits.isEmpty()) {
            return Recognition.unclear();
        }
        return new Recognition(Recognition.Status.DIGITS, digits.toString(), confidences);
    }

    /** The best-scoring choice of one digit reading per stretch that adds up to {@code length} digits. */
    private static Optional<List<VoskResult.Reading>> withLength(
            List<VoskResult> stretches, Language language, int length) {
        // best[n] = the highest total score of the stretches so far reading as n digits, and how
        Path[] best = new Path[length + 1];
        best[0] = new Path(0, List.of());
        for (VoskResult stretch : stretches) {
            Path[] next = new Path[length + 1];
            for (VoskResult.Reading reading : stretch.readings()) {
                Optional<String> digits = DigitWords.digits(reading.texts(), language);
                if (digits.isEmpty()) {
                    continue;
                }
                for (int n = 0; n + digits.get().length() <= length; n++) {
                    if (best[n] == null) {
                        continue;
                    }
                    int total = n + digits.get().length();
                    double score = best[n].score() + reading.score();
                    if (next[total] == null || next[total].score() < score) {
                        next[total] = best[n].then(reading, score);
                    }
                }
            }
            best = next;
        }
        return Optional.ofNullable(best[length]).map(Path::readings);
    }

    private record Path(double score, List<VoskResult.Reading> readings) {
        Path then(VoskResult.Reading reading, double newScore) {
            List<VoskResult.Reading> longer = new ArrayList<>(readings);
            longer.add(reading);
            return new Path(newScore, longer);
        }
    }

    private static double confidence(VoskResult.Word word, VoskResult stretch) {
        if (!Double.isNaN(word.confidence())) {
            return clamp(word.confidence());
        }
        List<VoskResult.Reading> readings = stretch.readings();
        double top = readings.get(0).score();
        double total = 0;
        double agreeing = 0;
        for (VoskResult.Reading reading : readings) {
            double weight = Math.exp(reading.score() - top);
            total += weight;
            if (reading.words().stream()
                    .anyMatch(w ->
                            w.text().equals(word.text()) && w.start() <= word.middle() && word.middle() <= w.end())) {
                agreeing += weight;
            }
        }
        return clamp(agreeing / total);
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
