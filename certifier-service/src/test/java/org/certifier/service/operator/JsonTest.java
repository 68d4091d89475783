package org.certifier.service.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The operator API's strict JSON: what it accepts, what it refuses, and that it never breaks. */
class JsonTest {
  private static final String VALID =
      "{\"serial\": 1042, \"reason\": \"key-compromise\", \"list\": [true, null, -1.5e3]}";

  @Test
  void parsesAndWritesBack() throws Exception {
    Object value = Json.parse(VALID);
    assertEquals(Map.of("serial", new BigDecimal(1042), "reason", "key-compromise",
        "list", List.of(true, Json.NULL, new BigDecimal("-1.5e3"))), value);
    assertEquals("{\"serial\":1042,\"reason\":\"key-compromise\",\"list\":[true,null,-1.5E+3]}",
        Json.write(value));
    assertEquals("\"a\\\"b\\\\c\\n\\u0001\\u2028\"", Json.write("a\"b\\c\n\u0001\u2028"));
    assertEquals("\uD83D\uDE00\u00e9", Json.parse("\"\\ud83d\\ude00\\u00E9\""));
  }

  @Test
  void refusesEverythingThatIsNotStrictJson() {
    for (String bad : List.of("", " ", "{", "}", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}",
        "{\"a\":1}{}", "{\"a\":1} x", "01", "-", "1.", "1e", ".5", "+1", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud800\"", "\"tab\there\"",
        "'single'", "{\"a\":1,\"a\":2}", "// comment\n{}", "NaN", "Infinity",
        "[".repeat(40) + "]".repeat(40), "1" + "0".repeat(80))) {
      assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
    }
  }

  /** Truncated or altered bodies are refused with a JsonException or parse: nothing else. */
  @Property(tries = 2000)
  void mutatedInputNeverBreaksTheParser(@ForAll @IntRange(min = 0, max = 200) int position,
      @ForAll char replacement, @ForAll @IntRange(min = 0, max = 200) int cut) {
    StringBuilder text = new StringBuilder(VALID);
    text.setCharAt(position % text.length(), replacement);
    String mutated = text.substring(0, Math.min(cut, text.length()));
    try {
      Object value = Json.parse(mutated);
      // Whatever parsed writes back to JSON that parses to the same value.
      assertEquals(value, Json.parse(Json.write(value)));
    } catch (Json.JsonException expected) {
      // refused, as it should be when the mutation broke the syntax
    }
  }
}
