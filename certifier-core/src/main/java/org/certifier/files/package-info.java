/** Answers "how is a file replaced without ever leaving it torn?". */
package org.certifier.files;
