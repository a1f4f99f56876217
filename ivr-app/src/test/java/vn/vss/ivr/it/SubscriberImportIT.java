package vn.vss.ivr.it;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.vss.ivr.adapter.postgres.schema.Tables.SUBSCRIBER;

import java.io.StringReader;
import org.junit.jupiter.api.Test;
import vn.vss.ivr.adapter.postgres.SubscriberCsvImport;
import vn.vss.ivr.support.TestHotline;

class SubscriberImportIT {
    private final TestHotline hotline = TestHotline.shared();

    @Test
    void givenAGoodFile_thenEveryRowIsImportedInE164() throws Exception {
        String csv = "code,phone\n6100000001,0912000001\n6100000002,+84912000002\n\n6100000003,84912000003\n";

        SubscriberCsvImport.Result result = new SubscriberCsvImport(hotline.dsl()).importFrom(new StringReader(csv));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.imported()).isEqualTo(3);
        assertThat(hotline.dsl()
                        .select(SUBSCRIBER.PHONE_E164)
                        .from(SUBSCRIBER)
                        .where(SUBSCRIBER.BHXH_CODE.in("6100000001", "6100000002", "6100000003"))
                        .orderBy(SUBSCRIBER.BHXH_CODE)
                        .fetch(SUBSCRIBER.PHONE_E164))
                .containsExactly("+84912000001", "+84912000002", "+84912000003");
    }

    @Test
    void givenBadRows_thenEachIsReportedWithItsLineNumberAndNothingIsImported() throws Exception {
        String csv = String.join(
                "\n",
                "code,phone",
                "6200000001,0912000011",
                "62000000,0912000012",
                "6200000003,+84 912 000 013",
                "6200000004",
                "6200000001,0912000015",
                "6200000006,0912000016");
        int before = hotline.dsl().fetchCount(SUBSCRIBER);

        SubscriberCsvImport.Result result = new SubscriberCsvImport(hotline.dsl()).importFrom(new StringReader(csv));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.problems())
                .hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("line 3:").contains("not 10 digits"))
                .anySatisfy(p -> assertThat(p).startsWith("line 4:").contains("not a Vietnamese number"))
                .anySatisfy(p -> assertThat(p).startsWith("line 5:").contains("expected 2 fields"))
                .anySatisfy(p -> assertThat(p).startsWith("line 6:").contains("appears twice"));
        assertThat(hotline.dsl().fetchCount(SUBSCRIBER)).isEqualTo(before);
    }
}
