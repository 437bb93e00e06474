package org.statemigration.smp.association;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.statemigration.smp.problem.ValidationException;

/**
 * What identifies a computer besides its name: its SMBIOS UUID and the MAC addresses of its network adapters, in
 * their one written form. Each belongs to at most one computer.
 * @param smbiosGuid the SMBIOS system UUID, or {@code null}
 * @param macAddresses upper-case, colon-separated ({@code AA:BB:CC:DD:EE:FF}), without repeats, at most
 * {@link #MAX_MAC_ADDRESSES}
 */
public record ComputerIdentity(UUID smbiosGuid, List<String> macAddresses) {

	/** The most MAC addresses one computer keeps: a few adapters (wired, wireless, a dock), not a switch's table. */
	public static final int MAX_MAC_ADDRESSES = 8;

	/** Nothing known. */
	public static final ComputerIdentity NONE = new ComputerIdentity(null, List.of());

	private static final Pattern MAC = Pattern
		.compile("[0-9A-Fa-f]{2}([-:]?)[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");

	private static final Pattern GUID = Pattern
		.compile("\\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}}?");

	// firmware that was never given a UUID reports one of these; they would tie unrelated computers together
	private static final UUID NIL = new UUID(0L, 0L);

	private static final UUID ALL_F = new UUID(-1L, -1L);

	public ComputerIdentity {
		macAddresses = (macAddresses != null) ? List.copyOf(macAddresses) : List.of();
	}

	/**
	 * The identity an operator or a computer gave, checked and put in its one written form.
	 * @param field the request's name of the computer's fields, for messages ({@code sourceComputer}, or empty)
	 * @throws ValidationException naming the field that is not acceptable
	 */
	public static ComputerIdentity of(String smbiosGuid, List<String> macAddresses, String field) {
		UUID guid = (smbiosGuid == null || smbiosGuid.isBlank()) ? null : smbiosGuid(smbiosGuid, field + "SmbiosGuid");
		return new ComputerIdentity(guid, macAddresses(macAddresses, field + "MacAddresses"));
	}

	/** Whether nothing of the identity is known. */
	public boolean isEmpty() {
		return this.smbiosGuid == null && this.macAddresses.isEmpty();
	}

	/**
	 * A SMBIOS UUID as a UUID: the 36-character form, in any case, optionally in braces; not the nil UUID nor the
	 * all-F UUID, which firmware reports when it has none.
	 */
	public static UUID smbiosGuid(String text, String field) {
		String name = uncapitalised(field);
		if (text == null || !GUID.matcher(text.strip()).matches()) {
			throw new ValidationException(name + " must be a UUID such as 4C4C4544-0042-3510-8052-B4C04F564433");
		}
		String bare = text.strip();
		if (bare.startsWith("{") != bare.endsWith("}")) {
			throw new ValidationException(name + " must be a UUID such as 4C4C4544-0042-3510-8052-B4C04F564433");
		}
		UUID guid = UUID.fromString(bare.replace("{", "").replace("}", ""));
		if (guid.equals(NIL) || guid.equals(ALL_F)) {
			throw new ValidationException(name + " is a placeholder that firmware reports when it has no UUID ("
					+ guid + ")");
		}
		return guid;
	}

	/**
	 * A list of MAC addresses in their one form, without repeats.
	 * @throws ValidationException for more than {@link #MAX_MAC_ADDRESSES} or a malformed, all-zero, broadcast or
	 * multicast address, naming its position
	 */
	public static List<String> macAddresses(List<String> texts, String field) {
		if (texts == null || texts.isEmpty()) {
			return List.of();
		}
		String name = uncapitalised(field);
		Set<String> addresses = new LinkedHashSet<>();
		for (int i = 0; i < texts.size(); i++) {
			addresses.add(macAddress(texts.get(i), name + "[" + i + "]"));
		}
		if (addresses.size() > MAX_MAC_ADDRESSES) {
			throw new ValidationException(name + " must have at most " + MAX_MAC_ADDRESSES + " addresses");
		}
		return new ArrayList<>(addresses);
	}

	/**
	 * One MAC address, written with {@code :}, {@code -} or no separator in any case, as
	 * {@code AA:BB:CC:DD:EE:FF}.
	 */
	public static String macAddress(String text, String field) {
		if (text == null || !MAC.matcher(text.strip()).matches()) {
			throw new ValidationException(field + " must be a MAC address such as 00:1A:2B:3C:4D:5E");
		}
		String hex = text.strip().replace(":", "").replace("-", "").toUpperCase(Locale.ROOT);
		byte[] bytes = HexFormat.of().parseHex(hex);
		if (hex.equals("000000000000")) {
			throw new ValidationException(field + " is the all-zero address, which no adapter has");
		}
		if ((bytes[0] & 1) != 0) {
			// the group bit: broadcast (FF:FF:FF:FF:FF:FF) and multicast addresses name no single adapter
			throw new ValidationException(field + " is a broadcast or multicast address, which no adapter has");
		}
		return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes);
	}

	private static String uncapitalised(String field) {
		return field.isEmpty() ? field : Character.toLowerCase(field.charAt(0)) + field.substring(1);
	}

}
