import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Target;

/**
 * Build step: generates the jOOQ classes from the real schema. Starts an embedded PostgreSQL, applies
 * the Flyway migrations and reads the live catalogue, so that everything PostgreSQL accepts
 * (partial indexes, constraints, functions) is understood. Skips the work when the migrations have not
 * changed since the last generation.
 *
 * <p>Arguments: migrations directory, output directory, target package.
 */
public class JooqCodegen {
    public static void main(String[] args) throws Exception {
        Path migrations = Path.of(args[0]);
        Path output = Path.of(args[1]);
        String targetPackage = args[2];
        Path stamp = output.resolve(".migrations-sha256");
        String fingerprint = fingerprint(migrations) + " " + targetPackage;
        if (Files.exists(stamp) && Files.readString(stamp).equals(fingerprint)) {
            System.out.println("[jooq-codegen] migrations unchanged, generated sources are up to date");
            return;
        }
        long started = System.nanoTime();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("filesystem:" + migrations.toAbsolutePath())
                    .load()
                    .migrate();
            Configuration configuration = new Configuration()
                    .withJdbc(new org.jooq.meta.jaxb.Jdbc()
                            .withDriver("org.postgresql.Driver")
                            .withUrl(postgres.getJdbcUrl("postgres", "postgres"))
                            .withUser("postgres"))
                    .withGenerator(new Generator()
                            .withDatabase(new Database()
                                    .withName("org.jooq.meta.postgres.PostgresDatabase")
                                    .withInputSchema("public")
                                    .withExcludes("flyway_schema_history"))
                            .withGenerate(new Generate().withJavaTimeTypes(true).withGeneratedAnnotation(false))
                            .withTarget(
                                    new Target().withPackageName(targetPackage).withDirectory(output.toString())));
            GenerationTool.generate(configuration);
        }
        Files.writeString(stamp, fingerprint);
        System.out.printf("[jooq-codegen] generated in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private static String fingerprint(Path migrations) throws IOException, Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path file : files.sorted().toList()) {
                digest.update(file.getFileName().toString().getBytes());
                digest.update(Files.readAllBytes(file));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
