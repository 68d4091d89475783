package org.certifier.service.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.certifier.json.JsonReader.MalformedJsonException;
import org.junit.jupiter.api.Test;

/**
 * The operator API's JSON: the strict reader's values as plain Java values, and written back.
 * What the reader refuses is JsonReaderTest's (certifier-core).
 */
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
  void refusesWhatTheStrictReaderRefuses() {
    for (String bad : List.of("", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "1" + "0".repeat(80))) {
      assertThrows(MalformedJsonException.class, () -> Json.parse(bad), bad);
    }
  }

  /** Whatever a truncated or altered body parses to writes back to JSON that parses the same. */
  @Property(tries = 2000)
  void mutatedInputRoundTrips(@ForAll @IntRange(min = 0, max = 200) int position,
      @ForAll char replacement, @ForAll @IntRange(min = 0, max = 200) int cut)
      throws MalformedJsonException {
    StringBuilder text = new StringBuilder(VALID);
    text.setCharAt(position % text.length(), replacement);
    String mutated = text.substring(0, Math.min(cut, text.length()));
    Object value;
    try {
      value = Json.parse(mutated);
    } catch (MalformedJsonException refused) {
      return; // as it should be when the mutation broke the syntax
    }
    assertEquals(value, Json.parse(Json.write(value)));
  }
}
