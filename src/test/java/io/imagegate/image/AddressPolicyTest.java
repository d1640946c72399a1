package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "172.31.0.1",
      "192.168.0.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.251",
      "239.1.1.1", "255.255.255.255", "::1", "::", "fe80::1", "febf::1", "fc00::1", "fdff::1",
      "ff02::1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:a9fe:a9fe::1", "::a00:1", "192.0.2.1"})
  void isNonPublic_privateLoopbackLinkLocalAndMapped_areNonPublic(String literal) throws UnknownHostException {
    assertThat(AddressPolicy.isNonPublic(InetAddress.getByName(literal).getAddress())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
      "169.253.1.1", "11.0.0.1", "2606:4700:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8",
      "64:ff9b::808:808", "2002:808:808::1"})
  void isNonPublic_publicUnicast_isPublic(String literal) throws UnknownHostException {
    assertThat(AddressPolicy.isNonPublic(InetAddress.getByName(literal).getAddress())).isFalse();
  }

  @Test
  void addressAllowed_allowListEntriesOpenOnlyTheirAddresses() throws UnknownHostException {
    AddressPolicy policy = new AddressPolicy(List.of("127.0.0.1", "10.8.0.0/16", "fd00::/8", "localhost"));

    assertThat(policy.addressAllowed(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(policy.addressAllowed(InetAddress.getByName("127.0.0.2"))).isFalse();
    assertThat(policy.addressAllowed(InetAddress.getByName("10.8.255.1"))).isTrue();
    assertThat(policy.addressAllowed(InetAddress.getByName("10.9.0.1"))).isFalse();
    assertThat(policy.addressAllowed(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(policy.addressAllowed(InetAddress.getByName("fc00::1"))).isFalse();
    assertThat(policy.addressAllowed(InetAddress.getByName("8.8.8.8"))).isTrue();
    assertThat(policy.nameAllowed("LocalHost.")).isTrue();
    assertThat(policy.nameAllowed("127.0.0.1")).isFalse();
  }

  @Test
  void isInternalName_coversMetadataAndLocalNamesOnly() {
    assertThat(AddressPolicy.isInternalName("metadata.google.internal")).isTrue();
    assertThat(AddressPolicy.isInternalName("Metadata.Google.Internal.")).isTrue();
    assertThat(AddressPolicy.isInternalName("localhost")).isTrue();
    assertThat(AddressPolicy.isInternalName("x.localhost")).isTrue();
    assertThat(AddressPolicy.isInternalName("images.example.com")).isFalse();
    assertThat(AddressPolicy.isInternalName("internal.example.com")).isFalse();
  }

  @Test
  void cidrParse_rejectsHostNamesAndBadPrefixes() {
    assertThat(Cidr.parse("localhost")).isNull();
    assertThat(Cidr.parse("10.0.0.0/33")).isNull();
    assertThat(Cidr.parse("10.0.0.0/x")).isNull();
    assertThat(Cidr.parse("300.0.0.1")).isNull();
    assertThat(Cidr.parse("[::1]").contains(new byte[16 - 1])).isFalse();
    assertThat(Cidr.parse("172.16.0.0/12").contains(new byte[] {(byte) 172, 31, 0, 1})).isTrue();
    assertThat(Cidr.parse("172.16.0.0/12").contains(new byte[] {(byte) 172, 32, 0, 1})).isFalse();
  }
}
