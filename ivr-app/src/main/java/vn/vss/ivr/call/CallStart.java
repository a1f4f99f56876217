package vn.vss.ivr.call;

import java.time.Instant;
import java.util.Optional;

/** What is known when a call arrives. {@code callerIdReceived} is untrusted and stored only escaped. */
public record CallStart(
        String asteriskUniqueId,
        String callerIdReceived,
        Optional<PhoneNumber> callerNumber,
        Language language,
        Instant startedAt) {}
