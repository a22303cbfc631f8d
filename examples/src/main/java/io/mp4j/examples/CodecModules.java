package io.mp4j.examples;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.Pool;
import io.mp4j.ipc.codec.CodecException;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Values that travel: a record of {@code java.time} and {@code Optional} fields, and a type of the application's
 * own that travels through a Jackson module the class path provides by service loader (this module's
 * {@code META-INF/services/com.fasterxml.jackson.databind.Module} names {@link MoneyModule}), so that every child
 * has it too. Then what does not travel: a {@code ReentrantLock}, refused at the call.
 */
@Example(name = "codec-modules", description = "java.time, Optional and a service-loaded Jackson module travel to workers; a lock is refused at the call")
public final class CodecModules {
    private CodecModules() {}

    /** An amount in a currency; its only constructor parses "12.50 EUR", which Jackson cannot guess. */
    public static final class Money {
        private final BigDecimal amount;
        private final String currency;

        private Money(String text) {
            String[] p = text.split(" ");
            amount = new BigDecimal(p[0]);
            currency = p[1];
        }

        public static Money of(String text) { return new Money(text); }

        Money times(long n) { return new Money(amount.multiply(BigDecimal.valueOf(n)) + " " + currency); }

        @Override public String toString() { return amount + " " + currency; }
    }

    /** The application's Jackson module: Money as its text. Found by every process through META-INF/services. */
    public static final class MoneyModule extends SimpleModule {
        public MoneyModule() {
            super("examples-money");
            addSerializer(Money.class, new JsonSerializer<>() {
                @Override public void serialize(Money m, JsonGenerator g, SerializerProvider p) throws IOException { g.writeString(m.toString()); }
            });
            addDeserializer(Money.class, new JsonDeserializer<>() {
                @Override public Money deserialize(JsonParser p, DeserializationContext c) throws IOException { return Money.of(p.getValueAsString()); }
            });
        }
    }

    /** A stay: dates, a duration, an optional note and a price per night. */
    public record Stay(String guest, LocalDate arrival, Duration checkInWindow, Optional<String> note, Money perNight) {}

    /** The bill for a stay of {@code nights}, computed in a worker. */
    public record Bill(String guest, LocalDate departure, Money total) {}

    static Bill bill(Stay s, Integer nights) {
        return new Bill(s.guest(), s.arrival().plusDays(nights), s.perNight().times(nights));
    }

    static void greet(Stay s) {
        System.out.println("child: welcome " + s.guest() + ", arriving " + s.arrival() + ", check-in within "
                + s.checkInWindow().toHours() + " h" + s.note().map(n -> ", note: " + n).orElse(""));
    }

    static String lockState(ReentrantLock lock) { return lock.isLocked() ? "locked" : "free"; }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext();
        Stay ann = new Stay("Ann", LocalDate.of(2026, 2, 27), Duration.ofHours(3), Optional.of("late arrival"), Money.of("80.00 EUR"));
        MpProcess p = ctx.process(CodecModules::greet, ann);
        p.start();
        p.join();
        try (Pool pool = ctx.pool(2)) {
            List<Bill> bills = pool.starmap(CodecModules::bill, List.of(List.of(ann, 3),
                    List.of(new Stay("Bob", LocalDate.of(2026, 12, 30), Duration.ofHours(1), Optional.empty(), Money.of("95.50 EUR")), 2)));
            for (Bill b : bills) System.out.println(b.guest() + " leaves " + b.departure() + " and pays " + b.total());
            try {
                pool.apply(CodecModules::lockState, new ReentrantLock());
            } catch (IllegalArgumentException e) {
                CodecException why = (CodecException) e.getCause();
                System.out.println("refused at the call: " + why.getMessage().substring(why.getMessage().indexOf("a java.util")));
            }
        }
    }
}
