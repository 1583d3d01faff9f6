/** Every lab this server offers. Add a lab by importing its module here (see README "Writing a lab"). */
import { labCatalog } from '../labkit/catalog';
import { singleServerLab } from './iptables-single-server';

export const catalog = labCatalog([singleServerLab]);
