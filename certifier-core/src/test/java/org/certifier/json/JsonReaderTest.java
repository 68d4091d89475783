package org.certifier.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.certifier.json.JsonReader.Arr;
import org.certifier.json.JsonReader.Bool;
import org.certifier.json.JsonReader.MalformedJsonException;
import org.certifier.json.JsonReader.Null;
import org.certifier.json.JsonReader.Num;
import org.certifier.json.JsonReader.Obj;
import org.certifier.json.JsonReader.Str;
import org.certifier.json.JsonReader.Value;
import org.junit.jupiter.api.Test;

/** The strict JSON reader: what it accepts, what it refuses, and that it never breaks. */
class JsonReaderTest {
  private static final String VALID =
      "{\"serial\": 1042, \"reason\": \"key-compromise\", \"list\": [true, null, -1.5e3]}";

  @Test
  void readsValuesWithNumbersAsWritten() throws Exception {
    Obj obj = (Obj) JsonReader.parse(VALID);
    assertEquals(Map.of("serial", new Num("1042"), "reason", new Str("key-compromise"),
        "list", new Arr(List.of(new Bool(true), new Null(), new Num("-1.5e3")))), obj.members());
    assertEquals(List.of("serial", "reason", "list"), List.copyOf(obj.members().keySet()));
    assertEquals(new Str("a\u00e9\ud83d\ude00\n/"),
        JsonReader.parse(" \"a\\u00E9\\ud83d\\ude00\\n\\/\" "));
  }

  @Test
  void objectsKeepTheirExactSourceSpan() throws Exception {
    String text = "{\"x\": {\"y\": [1, -2.5e3, true, null]} }";
    Obj obj = (Obj) JsonReader.parse(text);
    assertEquals(0, obj.start());
    assertEquals(text.length(), obj.end());
    Obj inner = (Obj) obj.members().get("x");
    assertEquals("{\"y\": [1, -2.5e3, true, null]}", text.substring(inner.start(), inner.end()));
  }

  @Test
  void refusesEverythingThatIsNotStrictJson() {
    for (String bad : List.of("", " ", "{", "}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}",
        "{a:1}", "{\"a\":1}{}", "{\"a\":1} x", "01", "-", "1.", "1e", ".5", "+1", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud800\"", "\"\\ud83d\"",
        "\"tab\there\"", "\"a\nb\"", "'single'", "{\"a\":1,\"a\":2}", "// comment\n{}", "NaN",
        "Infinity", "[".repeat(40) + "]".repeat(40), "1" + "0".repeat(80))) {
      assertThrows(MalformedJsonException.class, () -> JsonReader.parse(bad), bad);
    }
  }

  @Test
  void limitsAreWhereTheyAreSaidToBe() throws Exception {
    String deepest = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    JsonReader.parse(deepest);
    assertThrows(MalformedJsonException.class, () -> JsonReader.parse("[" + deepest + "]"));
    String longest = "1" + "0".repeat(JsonReader.MAX_NUMBER_LENGTH - 1);
    assertEquals(new Num(longest), JsonReader.parse(longest));
    assertThrows(MalformedJsonException.class, () -> JsonReader.parse(longest + "0"));
  }

  /** Truncated or altered input is refused with a MalformedJsonException or read: nothing else. */
  @Property(tries = 2000)
  void mutatedInputNeverBreaksTheReader(@ForAll @IntRange(min = 0, max = 200) int position,
      @ForAll char replacement, @ForAll @IntRange(min = 0, max = 200) int cut) {
    StringBuilder text = new StringBuilder(VALID);
    text.setCharAt(position % text.length(), replacement);
    String mutated = text.substring(0, Math.min(cut, text.length()));
    try {
      Value value = JsonReader.parse(mutated);
      if (value instanceof Obj obj) {
        // A whole-document object spans the text but for surrounding whitespace.
        assertEquals(mutated.strip(), mutated.substring(obj.start(), obj.end()));
      }
    } catch (MalformedJsonException expected) {
      assertTrue(expected.getMessage().startsWith("malformed JSON at offset "));
    }
  }
}
