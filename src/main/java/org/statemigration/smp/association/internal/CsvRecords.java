package org.statemigration.smp.association.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a CSV file (RFC 4180), read one at a time from a stream: fields separated by commas, records by
 * CRLF or LF; a field in double quotes may hold commas, line breaks and doubled quotes. A record longer than a
 * bound is refused, so one record never holds more than that in memory.
 */
public final class CsvRecords {

	private final Reader in;

	private final int maxRecordChars;

	private long line = 1;

	private long recordLine;

	private int pushedBack = -2;

	public CsvRecords(Reader in, int maxRecordChars) {
		this.in = in;
		this.maxRecordChars = maxRecordChars;
	}

	/** The line of the file on which the record last returned begins (the first line is 1). */
	public long recordLine() {
		return this.recordLine;
	}

	/**
	 * The next record's fields, or {@code null} at the end of the file.
	 * @throws CsvFormatException if a quoted field is not closed, text follows a closing quote, or the record is
	 * too long; the reader cannot go on after it
	 */
	public List<String> next() throws IOException {
		int c = read();
		if (c == -1) {
			return null;
		}
		this.recordLine = this.line;
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		int length = 0;
		boolean quoted = false;
		boolean wasQuoted = false;
		while (true) {
			if (++length > this.maxRecordChars) {
				throw new CsvFormatException(this.recordLine, "the record is longer than " + this.maxRecordChars
						+ " characters");
			}
			if (quoted) {
				if (c == -1) {
					throw new CsvFormatException(this.recordLine, "a quoted field is not closed");
				}
				if (c == '"') {
					int next = read();
					if (next == '"') {
						field.append('"');
					}
					else {
						quoted = false;
						c = next;
						continue;
					}
				}
				else {
					if (c == '\n') {
						this.line++;
					}
					field.append((char) c);
				}
			}
			else if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
				wasQuoted = false;
			}
			else if (c == '\r' || c == '\n' || c == -1) {
				if (c == '\r') {
					int next = read();
					if (next != '\n') {
						unread(next);
					}
				}
				if (c != -1) {
					this.line++;
				}
				fields.add(field.toString());
				return fields;
			}
			else if (c == '"' && field.isEmpty() && !wasQuoted) {
				quoted = true;
				wasQuoted = true;
			}
			else if (wasQuoted) {
				throw new CsvFormatException(this.recordLine, "text follows the closing quote of a field");
			}
			else if (c == '"') {
				throw new CsvFormatException(this.recordLine,
						"a double quote inside a field that does not start with one");
			}
			else {
				field.append((char) c);
			}
			c = read();
		}
	}

	private int read() throws IOException {
		if (this.pushedBack != -2) {
			int c = this.pushedBack;
			this.pushedBack = -2;
			return c;
		}
		return this.in.read();
	}

	private void unread(int c) {
		this.pushedBack = c;
	}

	/** A file that is not CSV from a record on. */
	public static final class CsvFormatException extends IOException {

		private final long line;

		CsvFormatException(long line, String message) {
			super(message);
			this.line = line;
		}

		public long line() {
			return this.line;
		}

	}

}
