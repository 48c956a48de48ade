/**
 * Operations run as Ansible playbooks through ansible-runner, with a generated inventory and the operation's
 * inputs as variables.
 */
package io.imagebuilder.deploy.ansible;
