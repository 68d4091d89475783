/**
 * What every platform's verifier shares: the attested user data. One subpackage per platform
 * answers "what does this platform's evidence prove?".
 */
package org.certifier.verifiers;
