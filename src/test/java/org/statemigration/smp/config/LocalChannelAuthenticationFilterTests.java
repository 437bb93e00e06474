package org.statemigration.smp.config;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which peers the local channel answers: this machine only, whether the connection came over a loopback address
 * or over the machine's own address; a peer elsewhere (a load balancer, another host) is refused.
 */
class LocalChannelAuthenticationFilterTests {

	@Test
	void answersLoopbackPeers() {
		assertThat(LocalChannelAuthenticationFilter.fromThisMachine(request("127.0.0.1", "127.0.0.1"))).isTrue();
		assertThat(LocalChannelAuthenticationFilter.fromThisMachine(request("::1", "::1"))).isTrue();
		assertThat(LocalChannelAuthenticationFilter.fromThisMachine(request("127.0.0.1", "10.0.0.5"))).isTrue();
	}

	@Test
	void answersThisMachineOverItsOwnAddress() {
		assertThat(LocalChannelAuthenticationFilter.fromThisMachine(request("10.0.0.5", "10.0.0.5"))).isTrue();
	}

	@Test
	void refusesPeersOnOtherMachines() {
		assertThat(LocalChannelAuthenticationFilter.fromThisMachine(request("10.0.0.9", "10.0.0.5"))).isFalse();
		assertThat(LocalChannelAuthenticationFilter.fromThisMachine(request("192.168.1.20", "127.0.0.1"))).isFalse();
	}

	private static MockHttpServletRequest request(String remote, String local) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/local/v1/backup");
		request.setRemoteAddr(remote);
		request.setLocalAddr(local);
		return request;
	}

}
