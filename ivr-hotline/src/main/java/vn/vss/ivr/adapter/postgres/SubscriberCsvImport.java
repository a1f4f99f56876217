package vn.vss.ivr.adapter.postgres;

import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import vn.vss.ivr.call.BhxhCode;
import vn.vss.ivr.call.PhoneNumber;

/**
 * Imports subscribers from CSV lines {@code code,phone} (an optional header line {@code code,phone}).
 * All or nothing: every bad line is reported with its number, and if there is any, nothing is
 * imported. A code already present gets the new phone number.
 */
public final class SubscriberCsvImport {
    /** The outcome: rows imported, or the problems found (with line numbers), never both. */
    public record Result(int imported, List<String> problems) {
        public boolean succeeded() {
            return problems.isEmpty();
        }
    }

    private final DSLContext dsl;

    public SubscriberCsvImport(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Result importFrom(Reader csv) throws IOException {
        Map<String, String> phoneByCode = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        BufferedReader lines = new BufferedReader(csv);
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || (number == 1 && trimmed.equalsIgnoreCase("code,phone"))) {
                continue;
            }
            String[] fields = trimmed.split(",", -1);
            if (fields.length != 2) {
                problems.add("line " + number + ": expected 2 fields 'code,phone', found " + fields.length);
                continue;
            }
            Optional<BhxhCode> code = BhxhCode.parse(fields[0].strip());
            Optional<PhoneNumber> phone = PhoneNumber.fromCallerId(fields[1].strip());
            if (code.isEmpty()) {
                // The values are not echoed: a near-miss code or a phone number is personal data.
                problems.add("line " + number + ": the code ("
                        + fields[0].strip().length() + " characters) is not 10 digits");
            }
            if (phone.isEmpty()) {
                problems.add(
                        "line " + number + ": the phone (" + fields[1].strip().length()
                                + " characters) is not a Vietnamese number in plain digits (+84..., 84... or 0...)");
            }
            if (code.isPresent()
                    && phone.isPresent()
                    && phoneByCode.put(code.get().digits(), phone.get().e164()) != null) {
                problems.add("line " + number + ": code " + code.get().masked() + " appears twice in the file");
            }
        }
        if (!problems.isEmpty()) {
            return new Result(0, problems);
        }
        dsl.transaction(tx -> {
            var now = Times.utc(Instant.now());
            for (var row : phoneByCode.entrySet()) {
                tx.dsl()
                        .insertInto(SUBSCRIBER)
                        .set(SUBSCRIBER.BHXH_CODE, row.getKey())
                        .set(SUBSCRIBER.PHONE_E164, row.getValue())
                        .onConflict(SUBSCRIBER.BHXH_CODE)
                        .doUpdate()
                        .set(SUBSCRIBER.PHONE_E164, row.getValue())
                        .set(SUBSCRIBER.UPDATED_AT, now)
                        .execute();
            }
        });
        return new Result(phoneByCode.size(), List.of());
    }
}
