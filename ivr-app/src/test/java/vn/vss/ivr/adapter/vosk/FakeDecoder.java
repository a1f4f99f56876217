package vn.vss.ivr.adapter.vosk;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import vn.vss.ivr.call.Language;
import vn.vss.ivr.call.Recognition;

/** A decoder that hears "0123456789", fails, or hangs until it is abandoned, as the test says. */
final class FakeDecoder implements UtteranceDecoder {
    enum Behaviour {
        HEARS,
        FAILS,
        HANGS
    }

    volatile Behaviour behaviour = Behaviour.HEARS;
    final AtomicInteger decodings = new AtomicInteger();
    final CountDownLatch abandoned = new CountDownLatch(1);
    volatile boolean closed;

    @Override
    public boolean ready(Language language) {
        return language == Language.EN;
    }

    @Override
    public Recognition decode(short[] samples, int sampleRate, Language language, BooleanSupplier abandon)
            throws IOException {
        decodings.incrementAndGet();
        switch (behaviour) {
            case FAILS -> throw new IOException("decoder broken");
            case HANGS -> {
                while (!abandon.getAsBoolean()) {
                    sleepBriefly();
                }
                abandoned.countDown();
                throw new CancellationException("abandoned");
            }
            default -> {
                return new Recognition(Recognition.Status.DIGITS, "0123456789", List.of());
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
