package org.statemigration.smp.audit.internal;

import java.util.List;
import java.util.Map;

import org.statemigration.smp.audit.AuditVerification;
import org.statemigration.smp.audit.internal.AuditQueries.ChainHead;
import org.statemigration.smp.crypto.CryptoException;

import org.springframework.stereotype.Component;

/**
 * Checks the audit log three ways. The chain: consecutive numbers from 1 to the head, each event linked to the one
 * before and matching its MAC (its plain hash before the keyed chain starts), the last one matching the head.
 * The rows past the head: there must be none, nor any that an append set aside. The audit file: every line must
 * match the event of its number, and none may lie past the head, which is how a deleted tail with a rewritten
 * head shows. Reads a page at a time, so memory stays small however long the log grows.
 */
@Component
public class ChainVerifier {

	private static final int PAGE = 500;

	private static final String GENESIS = "0".repeat(64);

	private final AuditQueries queries;

	private final AuditKeys keys;

	private final AuditFile file;

	ChainVerifier(AuditQueries queries, AuditKeys keys, AuditFile file) {
		this.queries = queries;
		this.keys = keys;
		this.file = file;
	}

	public AuditVerification verify() {
		ChainHead head = this.queries.head();
		Findings findings = new Findings();
		checkChain(head, findings);
		Long past = this.queries.firstPast(head.seq());
		if (past != null) {
			findings.add(past, "event " + past + " lies past the head (" + head.seq()
					+ "): it was written directly to the database");
		}
		Long setAside = this.queries.firstSetAside();
		if (setAside != null) {
			findings.add(setAside, "rows numbered from " + setAside + " were found past the head and set aside in "
					+ "audit_event_orphan: they were written directly to the database");
		}
		long fileEvents = this.file.read(PAGE, (lines) -> compare(head, lines, findings));
		return new AuditVerification(findings.seq == null, head.seq(), findings.seq, findings.reason,
				head.keyedFromSeq(), fileEvents);
	}

	private void checkChain(ChainHead head, Findings findings) {
		long expected = 1;
		String previous = GENESIS;
		while (expected <= head.seq()) {
			List<StoredAuditEvent> chunk = this.queries.chainAfter(expected - 1, head.seq(), PAGE);
			if (chunk.isEmpty()) {
				break;
			}
			for (StoredAuditEvent stored : chunk) {
				long seq = stored.event().seq();
				if (seq != expected) {
					findings.add(expected, "event " + expected + " is missing");
					return;
				}
				String problem = problem(stored, previous, head.keyedFromSeq());
				if (problem != null) {
					findings.add(seq, "event " + seq + " " + problem);
					return;
				}
				previous = stored.hash();
				expected++;
			}
		}
		if (expected - 1 != head.seq()) {
			findings.add(expected, "event " + expected + " is missing");
		}
		else if (!previous.equals(head.hash())) {
			findings.add(head.seq(), "the head does not match event " + head.seq());
		}
	}

	private String problem(StoredAuditEvent stored, String previous, long keyedFrom) {
		if (!previous.equals(stored.prevHash())) {
			return "does not link to the event before it";
		}
		if (stored.keyVersion() == null) {
			if (stored.event().seq() >= keyedFrom) {
				return "carries no MAC, but the keyed chain starts at " + keyedFrom;
			}
			return stored.hashMatches(previous) ? null : "does not match its hash: edited or forged";
		}
		try {
			return stored.macMatches(previous, this.keys) ? null : "does not match its MAC: edited or forged";
		}
		catch (CryptoException ex) {
			return "names key version " + stored.keyVersion() + ", which the master key file does not hold";
		}
	}

	private void compare(ChainHead head, List<AuditFileLine> lines, Findings findings) {
		long first = Long.MAX_VALUE;
		long last = Long.MIN_VALUE;
		for (AuditFileLine line : lines) {
			first = Math.min(first, line.seq());
			last = Math.max(last, line.seq());
		}
		Map<Long, String> stored = this.queries.hashes(first, Math.min(last, head.seq()));
		for (AuditFileLine line : lines) {
			if (line.seq() > head.seq()) {
				findings.add(head.seq() + 1, "the audit file records event " + line.seq() + " past the head ("
						+ head.seq() + "): events were deleted and the head rewritten");
			}
			else if (!line.mac().equals(stored.get(line.seq()))) {
				findings.add(line.seq(), "event " + line.seq() + " differs from the audit file, or is missing");
			}
		}
	}

	/** The finding with the lowest sequence number, and why. */
	private static final class Findings {

		private Long seq;

		private String reason;

		void add(long seq, String reason) {
			if (this.seq == null || seq < this.seq) {
				this.seq = seq;
				this.reason = reason;
			}
		}

	}

}
