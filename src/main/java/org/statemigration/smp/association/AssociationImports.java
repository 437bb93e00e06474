package org.statemigration.smp.association;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.statemigration.smp.association.AssociationImportReport.LineError;
import org.statemigration.smp.association.internal.ImportRepository;
import org.statemigration.smp.association.internal.ImportRepository.KnownComputer;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates associations by the hundred from a CSV file: every line is checked as though an operator created its
 * association, against the other lines and the database, and the file is imported all or nothing, in one
 * transaction, only when no line is wrong. A dry run checks and writes nothing. The file is read as a stream,
 * before any transaction begins; its lines are kept (at most {@link #MAX_LINES}, in a body of bounded size).
 */
@Service
public class AssociationImports {

	/** The most lines an import takes. */
	public static final int MAX_LINES = 50_000;

	/** The most bad lines an import's report lists; it counts them all. */
	public static final int MAX_REPORTED_ERRORS = 1000;

	private final ImportRepository repository;

	private final ComputerAssociations associations;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	private final Clock clock;

	public AssociationImports(ImportRepository repository, ComputerAssociations associations, AuditLog audit,
			PlatformTransactionManager transactions, Clock clock) {
		this.repository = repository;
		this.associations = associations;
		this.audit = audit;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	/**
	 * Checks the file and, unless it is a dry run, imports it.
	 * @return the report: of a dry run, whatever it found; of an import, what was created
	 * @throws ImportRefusedException if it is not a dry run and a line is wrong (nothing is imported)
	 * @throws ImportTooLargeException past {@link #MAX_LINES} lines
	 * @throws org.statemigration.smp.problem.InvalidStateException if the database refused a row that the checks
	 * passed (changed meanwhile): nothing is imported
	 */
	public AssociationImportReport importCsv(InputStream csv, boolean dryRun, String operator) throws IOException {
		ImportFile file = ImportFile.read(csv, MAX_LINES);
		// a line that is wrong on its own is not looked up; the others still are, so that the report is whole
		AssociationImportReport report = this.transactions.execute((status) -> {
			Plan plan = new Plan(file).check(!dryRun);
			if (!file.errors.isEmpty() || dryRun) {
				status.setRollbackOnly();
				return plan.report(dryRun, false);
			}
			Instant now = this.clock.instant();
			try {
				plan.write(operator, now);
			}
			catch (DataIntegrityViolationException ex) {
				status.setRollbackOnly();
				throw new org.statemigration.smp.problem.InvalidStateException("The database refused a row of the "
						+ "file (another change was made meanwhile); nothing was imported: run the import again");
			}
			// one event for the whole file: an event per association would cost a link of the audit chain each, which
			// for thousands of lines takes longer than the import itself; its associations all carry the operator as
			// createdBy and this instant as createdAt
			this.audit.recordAs(operator, "association.import", file.sha256, AuditOutcome.SUCCESS, "lines="
					+ file.records + " associations=" + plan.file.lines.size() + " newComputers="
					+ plan.newComputers.size() + " createdAt=" + now + " sha256=" + file.sha256);
			return plan.report(false, true);
		});
		return refusedUnlessDryRun(report, dryRun, operator);
	}

	private AssociationImportReport refusedUnlessDryRun(AssociationImportReport report, boolean dryRun,
			String operator) {
		if (dryRun || report.errorCount() == 0) {
			return report;
		}
		this.audit.recordAlone(operator, "association.import", report.sha256(), AuditOutcome.FAILURE,
				"lines=" + report.lines() + " errors=" + report.errorCount() + " sha256=" + report.sha256());
		throw new ImportRefusedException(report);
	}

	/** The file's lines checked against each other and the database, and what importing them writes. */
	private final class Plan {

		private final ImportFile file;

		private final ImportChecks checks;

		private Map<String, KnownComputer> known = Map.of();

		private final Map<String, KnownComputer> newComputers = new LinkedHashMap<>();

		Plan(ImportFile file) {
			this.file = file;
			this.checks = new ImportChecks(file);
		}

		/** @param lock whether to lock the known sources until the transaction ends, as before writing */
		Plan check(boolean lock) {
			this.checks.withinTheFile();
			this.known = AssociationImports.this.repository.computers(this.checks.nameKeys());
			List<UUID> sources = this.known.values()
				.stream()
				.filter((computer) -> this.checks.sourceKeys().contains(computer.nameKey()))
				.map(KnownComputer::id)
				.toList();
			if (lock) {
				AssociationImports.this.repository.lock(sources);
			}
			this.checks.againstTheDatabase(this.known, AssociationImports.this.repository.liveModes(sources),
					AssociationImports.this.repository.smbiosGuidHolders(this.checks.smbiosGuids()),
					AssociationImports.this.repository.macAddressHolders(this.checks.macAddresses()));
			for (ImportLine line : this.file.lines) {
				addIfNew(line.source());
				addIfNew(line.destination());
			}
			return this;
		}

		private void addIfNew(String name) {
			String key = Computers.key(name);
			if (!this.known.containsKey(key) && !this.newComputers.containsKey(key)) {
				this.newComputers.put(key, new KnownComputer(UUID.randomUUID(), name, key, null, List.of()));
			}
		}

		void write(String operator, Instant now) {
			OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
			ImportRepository repository = AssociationImports.this.repository;
			repository.insertComputers(new ArrayList<>(this.newComputers.values()), now);
			Map<String, KnownComputer> all = new HashMap<>(this.known);
			all.putAll(this.newComputers);
			List<Object[]> addedMacs = new ArrayList<>();
			List<KnownComputer> changed = this.checks.identities(all, addedMacs);
			repository.storeIdentities(changed, addedMacs);
			List<Object[]> rows = new ArrayList<>(this.file.lines.size());
			for (ImportLine line : this.file.lines) {
				UUID id = UUID.randomUUID();
				KnownComputer source = all.get(line.sourceKey());
				KnownComputer destination = all.get(line.destinationKey());
				MigrationType type = source.id().equals(destination.id()) ? MigrationType.IN_PLACE
						: MigrationType.SIDE_BY_SIDE;
				rows.add(new Object[] { id, source.id(), destination.id(), type.name(), line.accounts().mode().name(),
						String.join("\n", line.accounts().accounts()), line.notes(),
						AssociationImports.this.associations.newWrappedKey(id), ComputerAssociations.KEY_ALGORITHM,
						operator, at, at });
			}
			repository.insertAssociations(rows);
		}

		AssociationImportReport report(boolean dryRun, boolean imported) {
			List<LineError> errors = this.file.errors.entrySet()
				.stream()
				.limit(MAX_REPORTED_ERRORS)
				.map((error) -> new LineError(error.getKey(), error.getValue()))
				.toList();
			boolean clean = this.file.errors.isEmpty();
			return new AssociationImportReport(dryRun, imported, this.file.records,
					clean ? this.file.lines.size() : 0, clean ? this.newComputers.size() : 0, this.file.errors.size(),
					errors, this.file.sha256);
		}

	}

}
