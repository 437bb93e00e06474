package org.statemigration.smp.association;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.statemigration.smp.association.internal.CsvRecords;
import org.statemigration.smp.association.internal.CsvRecords.CsvFormatException;
import org.statemigration.smp.problem.ValidationException;

/**
 * A bulk import file read from its stream, record by record: its header, each line checked on its own, and the
 * first error of each bad line. Nothing of it is looked up in the database here.
 */
final class ImportFile {

	/** The columns, named as the API's properties are. */
	static final List<String> COLUMNS = List.of("sourceComputer", "destinationComputer", "userAccountMode",
			"userAccounts", "notes", "sourceSmbiosGuid", "sourceMacAddresses", "destinationSmbiosGuid",
			"destinationMacAddresses");

	private static final int MAX_RECORD_CHARS = 64 * 1024;

	final List<ImportLine> lines = new ArrayList<>();

	/** The first error of each bad line, by line. */
	final Map<Long, String> errors = new TreeMap<>();

	long records;

	String sha256;

	private ImportFile() {
	}

	/**
	 * Reads the whole file (UTF-8, with or without a byte order mark).
	 * @throws ImportTooLargeException past {@code maxLines} records
	 */
	static ImportFile read(InputStream body, int maxLines) throws IOException {
		ImportFile file = new ImportFile();
		MessageDigest digest = sha256();
		Reader reader = new java.io.BufferedReader(new InputStreamReader(new DigestInputStream(body, digest),
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
		CsvRecords records = new CsvRecords(reader, MAX_RECORD_CHARS);
		try {
			file.parse(records, maxLines);
		}
		catch (ImportTooLargeException ex) {
			// read to its end (it is bounded), so that the client that is still sending reads the answer
			body.transferTo(java.io.OutputStream.nullOutputStream());
			throw ex;
		}
		catch (CsvFormatException ex) {
			file.errors.put(ex.line(), "not CSV: " + ex.getMessage() + "; the rest of the file was not read");
		}
		catch (CharacterCodingException ex) {
			file.errors.put(Math.max(1, records.recordLine()),
					"the file is not UTF-8 text; the rest of the file was not read");
		}
		// what the reader did not need is still part of the file
		body.transferTo(java.io.OutputStream.nullOutputStream());
		file.sha256 = HexFormat.of().formatHex(digest.digest());
		return file;
	}

	private void parse(CsvRecords records, int maxLines) throws IOException {
		List<String> header = records.next();
		if (header == null) {
			this.errors.put(1L, "the file is empty: the first line must name the columns");
			return;
		}
		Map<String, Integer> columns = columns(header);
		if (columns == null) {
			return;
		}
		List<String> fields;
		while ((fields = records.next()) != null) {
			if (fields.size() == 1 && fields.get(0).isBlank()) {
				continue;
			}
			if (++this.records > maxLines) {
				throw new ImportTooLargeException("The file has more than " + maxLines + " lines; split it");
			}
			long line = records.recordLine();
			if (fields.size() != header.size()) {
				this.errors.put(line, "the line has " + fields.size() + " fields, the header " + header.size());
				continue;
			}
			List<String> values = fields;
			try {
				this.lines.add(ImportLine.of(line, (name) -> {
					Integer index = columns.get(name);
					return (index != null) ? values.get(index).strip() : "";
				}));
			}
			catch (ValidationException ex) {
				this.errors.put(line, ex.getMessage());
			}
		}
		if (this.records == 0 && this.errors.isEmpty()) {
			this.errors.put(1L, "the file has no line after its header");
		}
	}

	/** The header's columns by name, or null (with the error recorded) if it is not acceptable. */
	private Map<String, Integer> columns(List<String> header) {
		Map<String, String> known = new HashMap<>();
		COLUMNS.forEach((name) -> known.put(name.toLowerCase(Locale.ROOT), name));
		Map<String, Integer> columns = new HashMap<>();
		for (int i = 0; i < header.size(); i++) {
			String given = header.get(i).strip();
			if (i == 0 && given.startsWith("\uFEFF")) {
				given = given.substring(1);
			}
			String name = known.get(given.toLowerCase(Locale.ROOT));
			if (name == null) {
				this.errors.put(1L, "unknown column '" + given + "'; the columns are " + String.join(", ", COLUMNS));
				return null;
			}
			if (columns.put(name, i) != null) {
				this.errors.put(1L, "the column " + name + " is named twice");
				return null;
			}
		}
		for (String required : List.of("sourceComputer", "destinationComputer")) {
			if (!columns.containsKey(required)) {
				this.errors.put(1L, "the column " + required + " is missing; the header names "
						+ Arrays.toString(header.toArray()));
				return null;
			}
		}
		return columns;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
