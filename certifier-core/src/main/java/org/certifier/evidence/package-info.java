/** Answers "why was this evidence or request refused?": the closed failure vocabulary. */
package org.certifier.evidence;
