package org.statemigration.smp.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Brings the JDK's AES-GCM and SHA-256 up to speed right after start. The JIT only switches to the
 * hardware-accelerated code once it has compiled the JDK's crypto loops, and with 1 MiB calls that takes about a
 * gigabyte of data at 50-100 MB/s: the first large upload after a restart would pay for it. Calls of 128 KiB get
 * there after about 128 MB, which this does on a background thread in a second or two of CPU, with a throw-away
 * key.
 */
@Component
class CryptoWarmUp implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(CryptoWarmUp.class);

	private static final int CHUNK = 128 * 1024;

	private static final int ROUNDS = 1000;

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Thread thread = new Thread(CryptoWarmUp::warmUp, "smp-crypto-warm-up");
		thread.setDaemon(true);
		thread.setPriority(Thread.MIN_PRIORITY);
		thread.start();
	}

	static void warmUp() {
		long start = System.nanoTime();
		try {
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			SecretKeySpec secretKey = new SecretKeySpec(key, "AES");
			byte[] nonce = new byte[12];
			byte[] plaintext = new byte[CHUNK];
			byte[] sealed = new byte[CHUNK + 16];
			byte[] opened = new byte[CHUNK];
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			for (int i = 0; i < ROUNDS; i++) {
				nonce[0] = (byte) i;
				nonce[1] = (byte) (i >>> 8);
				cipher.init(Cipher.ENCRYPT_MODE, secretKey, new GCMParameterSpec(128, nonce));
				cipher.doFinal(plaintext, 0, CHUNK, sealed, 0);
				cipher.init(Cipher.DECRYPT_MODE, secretKey, new GCMParameterSpec(128, nonce));
				cipher.doFinal(sealed, 0, sealed.length, opened, 0);
				sha256.update(plaintext);
			}
			sha256.digest();
			logger.debug("Crypto warm-up took " + (System.nanoTime() - start) / 1_000_000 + " ms");
		}
		catch (GeneralSecurityException ex) {
			logger.warn("Crypto warm-up failed; the first transfers may be slower", ex);
		}
	}

}
