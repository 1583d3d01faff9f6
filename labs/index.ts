/** Every lab this server offers. Add a lab by importing its module here (see README "Writing a lab"). */
import { labCatalog } from '../labkit/catalog';
import { singleServerLab } from './iptables-single-server';
import { moreRulesLab } from './iptables-more-rules';

export const catalog = labCatalog([singleServerLab, moreRulesLab]);
