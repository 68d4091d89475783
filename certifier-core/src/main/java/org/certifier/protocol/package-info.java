/**
 * Answers "how do the parties exchange and parse messages?": the reference framing, time
 * strings and bounded parsing of the proto2 messages (reference-certifier.md §1, §2).
 */
package org.certifier.protocol;
