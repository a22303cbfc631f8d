package io.mp4j.ipc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * A user's Jackson module, found by the codec through META-INF/services: {@link Money} has no constructor
 * Jackson could use, so it travels only through this module's serializer and deserializer ("12.50 EUR").
 */
public final class MoneyModule extends SimpleModule {
    public MoneyModule() {
        super("test-money");
        addSerializer(Money.class, new JsonSerializer<>() {
            @Override public void serialize(Money m, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(m.cents() / 100 + "." + String.format("%02d", m.cents() % 100) + " " + m.currency());
            }
        });
        addDeserializer(Money.class, new JsonDeserializer<>() {
            @Override public Money deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Money.parse(p.getValueAsString());
            }
        });
    }

    /** An amount of money; its only constructor takes a string Jackson knows nothing of. */
    public static final class Money {
        private final long cents;
        private final String currency;

        private Money(long cents, String currency) {
            this.cents = cents;
            this.currency = currency;
        }

        public static Money parse(String s) {
            String[] p = s.split(" ");
            String[] n = p[0].split("\\.");
            return new Money(Long.parseLong(n[0]) * 100 + Long.parseLong(n[1]), p[1]);
        }

        long cents() { return cents; }

        String currency() { return currency; }

        @Override public boolean equals(Object o) { return o instanceof Money m && m.cents == cents && m.currency.equals(currency); }

        @Override public int hashCode() { return Long.hashCode(cents) * 31 + currency.hashCode(); }

        @Override public String toString() { return cents / 100 + "." + String.format("%02d", cents % 100) + " " + currency; }
    }
}
