/**
 * Who a computer is: the server's own client CA signs each computer's certificate at enrollment, against its CSR
 * and a one-time code (the private key never leaves the computer), renews it on request, and lets operators block
 * it; every client request is authenticated by that certificate (DESIGN.md, decision 2). The same CA issues the
 * server's TLS certificate on first start unless the operator brings one, before the web server starts
 * (decision 1). The CA key is kept wrapped by the key-encryption keys.
 */
package org.statemigration.smp.pki;
