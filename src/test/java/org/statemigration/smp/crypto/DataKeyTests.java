package org.statemigration.smp.crypto;

import org.junit.jupiter.api.Test;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DataKeyTests {

	@Test
	void generatesDistinct256BitKeys() {
		try (DataKey one = DataKey.generate(); DataKey two = DataKey.generate()) {
			assertThat(one.bytes()).hasSize(32).isNotEqualTo(two.bytes());
		}
	}

	@Test
	void handsOutCopiesOfItsBytes() {
		try (DataKey key = DataKey.generate()) {
			byte[] copy = key.bytes();
			copy[0] ^= 1;
			assertThat(key.bytes()).isNotEqualTo(copy);
		}
	}

	@Test
	void copiesTheBytesItIsMadeOf() {
		byte[] bytes = new byte[32];
		try (DataKey key = DataKey.of(bytes)) {
			bytes[0] = 1;
			assertThat(key.bytes()).containsOnly(0);
		}
	}

	@Test
	void rejectsKeysThatAreNot256Bits() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> DataKey.of(new byte[16]));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> DataKey.of(null));
	}

	@Test
	void zeroesItsBytesWhenClosed() {
		DataKey key = DataKey.generate();
		byte[] inside = (byte[]) ReflectionTestUtils.getField(key, "bytes");
		assertThat(inside).isNotEqualTo(new byte[32]);
		key.close();
		assertThat(inside).containsOnly(0);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(key::bytes);
	}

	@Test
	void showsNoKeyMaterialInToString() {
		try (DataKey key = DataKey.of(new byte[32])) {
			assertThat(key.toString()).isEqualTo("DataKey[256 bits]");
		}
	}

}
