package org.statemigration.smp.pki.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The DNS names and IP addresses a server certificate is for, normalized so that {@code ::1} and
 * {@code 0:0:0:0:0:0:0:1}, or {@code SMP.example} and {@code smp.example}, count as the same name.
 */
record ServerNames(List<String> dnsNames, List<String> ipAddresses) {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final int DNS_NAME = 2;

	private static final int IP_ADDRESS = 7;

	static ServerNames of(Collection<String> names) {
		Set<String> dnsNames = new LinkedHashSet<>();
		Set<String> ipAddresses = new LinkedHashSet<>();
		for (String name : names) {
			String trimmed = name.strip();
			if (trimmed.isEmpty()) {
				continue;
			}
			if (isIpLiteral(trimmed)) {
				ipAddresses.add(normalizedAddress(trimmed));
			}
			else {
				dnsNames.add(trimmed.toLowerCase(Locale.ROOT));
			}
		}
		return new ServerNames(List.copyOf(dnsNames), List.copyOf(ipAddresses));
	}

	/** The first of these names that the certificate does not carry, or {@code null} if it carries them all. */
	String firstMissingFrom(X509Certificate certificate) throws CertificateParsingException {
		Set<String> present = new LinkedHashSet<>();
		Collection<List<?>> alternativeNames = certificate.getSubjectAlternativeNames();
		if (alternativeNames != null) {
			for (List<?> name : alternativeNames) {
				int type = (Integer) name.get(0);
				if (type == DNS_NAME) {
					present.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
				}
				else if (type == IP_ADDRESS) {
					present.add(normalizedAddress((String) name.get(1)));
				}
			}
		}
		for (String name : all()) {
			if (!present.contains(name)) {
				return name;
			}
		}
		return null;
	}

	List<String> all() {
		Set<String> all = new LinkedHashSet<>(this.dnsNames);
		all.addAll(this.ipAddresses);
		return List.copyOf(all);
	}

	ServerNames plus(ServerNames other) {
		List<String> names = new ArrayList<>(all());
		names.addAll(other.all());
		return of(names);
	}

	private static boolean isIpLiteral(String name) {
		return IPV4.matcher(name).matches() || name.contains(":");
	}

	// only called on literals, so no DNS lookup takes place
	private static String normalizedAddress(String literal) {
		try {
			return InetAddress.getByName(literal).getHostAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("Not an IP address: " + literal, ex);
		}
	}

}
