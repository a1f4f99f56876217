package vn.vss.ivr.support;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Every row of every table in the schema, as PostgreSQL's text form of the row. */
public final class DatabaseDump {
    private DatabaseDump() {}

    public static String of(DSLContext dsl) {
        List<String> tables = dsl.fetch(
                        "select table_name from information_schema.tables where table_schema = 'public' order by 1")
                .getValues(0, String.class);
        StringBuilder dump = new StringBuilder();
        for (String table : tables) {
            dump.append("-- ").append(table).append('\n');
            for (String row : dsl.fetch("select t::text from " + DSL.quotedName(table) + " t")
                    .getValues(0, String.class)) {
                dump.append(row).append('\n');
            }
        }
        return dump.toString();
    }
}
